//! Evidence bundles (`docs/evidence-bundle.md`): a manifest line, the events of a range as export
//! lines with their hashes, and the signed checkpoints covering them; verified offline.

use std::collections::BTreeMap;

use redmud_store::{
    ChainFault, ChainVerifier, EventStore, Filter, Head, Position, StoredEvent, VerifyStart,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use super::checkpoint::{self, Checkpoint, CheckpointError, sign_checkpoint};
use super::key::AuditKey;

/// The `format` member of a bundle's manifest.
pub const BUNDLE_FORMAT: &str = "redmud-evidence-bundle/1";

/// Writes the bundle of events `from..=to` (NDJSON text, one `\n` after every line). Signs
/// checkpoints at `from - 1` (when > 0) and at `to` if there are none yet, which verifies the
/// chain up to `to` first: a broken chain gives [`CheckpointError::Broken`].
pub async fn export_bundle(
    store: &EventStore,
    key: &AuditKey,
    from: Position,
    to: Position,
) -> Result<String, CheckpointError> {
    let from = from.max(1);
    let head = store.head().await?;
    if to < from || to > head.position {
        return Err(CheckpointError::NoEvent(to.max(from)));
    }
    let start = if from > 1 {
        let anchor = sign_checkpoint(store, key, Some(from - 1)).await?;
        json!({ "position": anchor.position, "hash": anchor.hash, "recorded_at": anchor.recorded_at })
    } else {
        json!({ "position": 0, "hash": hex::encode(redmud_store::GENESIS_HASH), "recorded_at": null })
    };
    let end = sign_checkpoint(store, key, Some(to)).await?;
    let checkpoints = checkpoint::list(store, from - 1, to).await?;
    let manifest = json!({
        "kind": "manifest",
        "format": BUNDLE_FORMAT,
        "encoding": "RMLEVT01",
        "from": from,
        "to": to,
        "events": to - from + 1,
        "start": start,
        "end": { "position": end.position, "hash": end.hash },
        "public_key": key.public_hex(),
        "checkpoints": checkpoints.len(),
        "created_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "engine": store.engine_name(),
    });
    let mut out = String::new();
    out.push_str(&manifest.to_string());
    out.push('\n');
    let mut next = from;
    while next <= to {
        let page = store
            .read_all_stored(next, Some(to), &Filter::all(), 2_000)
            .await?;
        let Some(last) = page.last() else { break };
        next = last.position + 1;
        for event in &page {
            out.push_str(&event_line(event));
            out.push('\n');
        }
    }
    for checkpoint in &checkpoints {
        let mut line = serde_json::to_value(checkpoint).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut line {
            map.insert("kind".into(), json!("checkpoint"));
        }
        out.push_str(&line.to_string());
        out.push('\n');
    }
    Ok(out)
}

/// An event's bundle line: its export line (`docs/event-format.md` §10) with `"kind":"event"`.
fn event_line(event: &StoredEvent) -> String {
    let line = event.export_line();
    match line.strip_prefix('{') {
        Some(rest) => format!("{{\"kind\":\"event\",{rest}"),
        None => line,
    }
}

/// What is wrong with a bundle beyond the chain itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum BundleFault {
    /// A line is not what the format allows (reported at position 0).
    Malformed { line: usize, detail: String },
    /// A checkpoint's signature is not the bundle key's.
    BadSignature,
    /// The public key is not the one the auditor expects.
    UnexpectedKey { public_key: String },
    /// A validly signed checkpoint disagrees with the event at its position.
    CheckpointMismatch,
    /// The range does not start at the genesis and no valid checkpoint vouches for its start.
    StartNotSigned,
    /// No valid checkpoint vouches for the last event of the range.
    EndNotSigned,
}

/// Any fault: the chain's or the bundle's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum AnyFault {
    Chain(ChainFault),
    Bundle(BundleFault),
}

/// The first failure of a bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BundleFailure {
    pub position: Position,
    #[serde(flatten)]
    pub fault: AnyFault,
}

/// The result of checking a bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BundleReport {
    /// No failure.
    pub intact: bool,
    pub from: Position,
    pub to: Position,
    /// Events checked by the chain walk.
    pub checked: u64,
    /// The recomputed hash of the last event checked.
    pub last_hash: String,
    /// Checkpoints whose signature is valid.
    pub valid_checkpoints: usize,
    /// The bundle's public key.
    pub public_key: String,
    /// The failure at the lowest position (`None`: intact).
    pub first_failure: Option<BundleFailure>,
}

#[derive(Deserialize)]
struct Start {
    position: Position,
    hash: String,
    recorded_at: Option<i64>,
}

#[derive(Deserialize)]
struct End {
    position: Position,
    hash: String,
}

#[derive(Deserialize)]
struct Manifest {
    format: String,
    from: Position,
    to: Position,
    start: Start,
    end: End,
    public_key: String,
}

#[derive(Deserialize)]
struct EventLine {
    position: Position,
    stream: String,
    version: u64,
    event_id: Uuid,
    event_type: String,
    schema_version: u32,
    recorded_at: i64,
    #[serde(default)]
    effective: Option<String>,
    payload: String,
    actor_id: String,
    actor_role: String,
    organisation: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    correlation_id: Option<Uuid>,
    #[serde(default)]
    causation_id: Option<Uuid>,
    #[serde(default)]
    idempotency_key: Option<String>,
    hash: String,
}

fn hash32(text: &str) -> Option<[u8; 32]> {
    let mut hash = [0u8; 32];
    hex::decode_to_slice(text, &mut hash).ok()?;
    Some(hash)
}

fn malformed(line: usize, detail: impl Into<String>) -> BundleFailure {
    BundleFailure {
        position: 0,
        fault: AnyFault::Bundle(BundleFault::Malformed {
            line,
            detail: detail.into(),
        }),
    }
}

struct Parsed {
    manifest: Manifest,
    events: Vec<StoredEvent>,
    checkpoints: Vec<Checkpoint>,
}

fn parse(text: &str) -> Result<Parsed, BundleFailure> {
    let mut manifest = None;
    let mut events = Vec::new();
    let mut checkpoints = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let number = index + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let value: Value =
            serde_json::from_str(line).map_err(|e| malformed(number, e.to_string()))?;
        let kind = value.get("kind").and_then(Value::as_str).unwrap_or("");
        match (kind, manifest.is_some()) {
            ("manifest", false) => {
                let parsed: Manifest =
                    serde_json::from_value(value).map_err(|e| malformed(number, e.to_string()))?;
                if parsed.format != BUNDLE_FORMAT {
                    return Err(malformed(number, format!("format {:?}", parsed.format)));
                }
                manifest = Some(parsed);
            }
            ("event", true) => {
                let e: EventLine =
                    serde_json::from_value(value).map_err(|e| malformed(number, e.to_string()))?;
                let hash = hash32(&e.hash).ok_or_else(|| malformed(number, "hash"))?;
                events.push(StoredEvent {
                    position: e.position,
                    stream: e.stream,
                    version: e.version,
                    event_id: e.event_id,
                    event_type: e.event_type,
                    schema_version: e.schema_version,
                    recorded_at_micros: e.recorded_at,
                    effective: e.effective,
                    payload: e.payload,
                    actor_id: e.actor_id,
                    actor_role: e.actor_role,
                    organisation: e.organisation,
                    reason: e.reason,
                    correlation_id: e.correlation_id,
                    causation_id: e.causation_id,
                    idempotency_key: e.idempotency_key,
                    hash,
                });
            }
            ("checkpoint", true) => {
                let c: Checkpoint =
                    serde_json::from_value(value).map_err(|e| malformed(number, e.to_string()))?;
                checkpoints.push(c);
            }
            _ => {
                return Err(malformed(
                    number,
                    format!("unexpected line of kind {kind:?}"),
                ));
            }
        }
    }
    let manifest = manifest.ok_or_else(|| malformed(1, "no manifest"))?;
    Ok(Parsed {
        manifest,
        events,
        checkpoints,
    })
}

/// Checks a bundle offline (`docs/evidence-bundle.md` §5). `expected_key`: the public key the
/// auditor trusts (hex); `None` trusts the bundle's own.
pub fn verify_bundle(text: &str, expected_key: Option<&str>) -> BundleReport {
    let parsed = match parse(text) {
        Ok(parsed) => parsed,
        Err(failure) => {
            return BundleReport {
                intact: false,
                from: 0,
                to: 0,
                checked: 0,
                last_hash: String::new(),
                valid_checkpoints: 0,
                public_key: String::new(),
                first_failure: Some(failure),
            };
        }
    };
    let Parsed {
        manifest,
        events,
        checkpoints,
    } = parsed;
    let mut failures: Vec<BundleFailure> = Vec::new();
    let bundle = |position, fault| BundleFailure {
        position,
        fault: AnyFault::Bundle(fault),
    };
    // 1. The key.
    let public_key = hash32(&manifest.public_key);
    if let Some(expected) = expected_key
        && !expected.eq_ignore_ascii_case(&manifest.public_key)
    {
        failures.push(bundle(
            0,
            BundleFault::UnexpectedKey {
                public_key: manifest.public_key.clone(),
            },
        ));
    }
    let Some(public_key) = public_key else {
        return BundleReport {
            intact: false,
            from: manifest.from,
            to: manifest.to,
            checked: 0,
            last_hash: String::new(),
            valid_checkpoints: 0,
            public_key: manifest.public_key.clone(),
            first_failure: Some(malformed(1, "public_key")),
        };
    };
    // 2. Signatures.
    let mut valid: BTreeMap<Position, &Checkpoint> = BTreeMap::new();
    for checkpoint in &checkpoints {
        if checkpoint.is_signed_by(&public_key) {
            valid.insert(checkpoint.position, checkpoint);
        } else {
            failures.push(bundle(checkpoint.position, BundleFault::BadSignature));
        }
    }
    // 3. The chain, from the manifest's start to its end.
    let start_hash = hash32(&manifest.start.hash).unwrap_or([0u8; 32]);
    let start = VerifyStart {
        position: manifest.start.position,
        hash: start_hash,
        recorded_at_micros: manifest.start.recorded_at.unwrap_or(i64::MIN),
    };
    let mut verifier =
        ChainVerifier::starting_after(start.position, start.hash, start.recorded_at_micros);
    for event in &events {
        verifier.check(event);
    }
    let end = Head {
        position: manifest.end.position,
        hash: hash32(&manifest.end.hash).unwrap_or([0u8; 32]),
        recorded_at_micros: 0,
    };
    let report = verifier.finish(Some(end));
    let chain_failed_at = report.first_failure.as_ref().map(|f| f.position);
    if let Some(failure) = &report.first_failure {
        failures.push(BundleFailure {
            position: failure.position,
            fault: AnyFault::Chain(failure.fault.clone()),
        });
    }
    // 4. Valid checkpoints agree with the events they name (before any chain failure).
    let by_position: BTreeMap<Position, &StoredEvent> =
        events.iter().map(|e| (e.position, e)).collect();
    for (position, checkpoint) in &valid {
        if chain_failed_at.is_some_and(|at| *position >= at) || *position <= start.position {
            continue;
        }
        let agrees = by_position.get(position).is_some_and(|event| {
            hex::encode(event.hash) == checkpoint.hash
                && event.recorded_at_micros == checkpoint.recorded_at
        });
        if !agrees {
            failures.push(bundle(*position, BundleFault::CheckpointMismatch));
        }
    }
    // 5. Both ends are vouched for.
    if start.position > 0 {
        let signed = valid.get(&start.position).is_some_and(|c| {
            c.hash == manifest.start.hash && Some(c.recorded_at) == manifest.start.recorded_at
        });
        if !signed {
            failures.push(bundle(start.position + 1, BundleFault::StartNotSigned));
        }
    }
    let end_signed = valid
        .get(&manifest.end.position)
        .is_some_and(|c| c.hash == manifest.end.hash);
    if !end_signed || manifest.end.position != manifest.to {
        failures.push(bundle(manifest.to, BundleFault::EndNotSigned));
    }
    // The failure at the lowest position; at equal positions the earlier check.
    let first_failure = failures
        .into_iter()
        .enumerate()
        .min_by_key(|(order, f)| (f.position, *order))
        .map(|(_, f)| f);
    BundleReport {
        intact: first_failure.is_none(),
        from: manifest.from,
        to: manifest.to,
        checked: report.checked,
        last_hash: report.last_hash,
        valid_checkpoints: valid.len(),
        public_key: manifest.public_key,
        first_failure,
    }
}
