//! Signed checkpoints: signing after verification, storing, listing.

use std::borrow::Cow;

use redmud_store::{
    EnginePool, EventStore, Filter, Position, StoreError, VerifyReport, VerifyStart,
};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::key::{AuditKey, verify_signature};

/// The tag that starts every signed checkpoint message (`docs/evidence-bundle.md` §3).
pub const CHECKPOINT_TAG: &[u8; 8] = b"RMLCKP01";

/// A signed checkpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Checkpoint {
    /// The event's global position.
    pub position: Position,
    /// The event's hash (64 lowercase hex digits).
    pub hash: String,
    /// The event's `recorded_at`, microseconds since the epoch.
    pub recorded_at: i64,
    /// When the server signed, microseconds since the epoch.
    pub signed_at: i64,
    /// The Ed25519 signature of [`checkpoint_message`] (128 lowercase hex digits).
    pub signature: String,
}

impl Checkpoint {
    /// The hash as bytes (`None`: not 64 hex digits).
    pub fn hash_bytes(&self) -> Option<[u8; 32]> {
        let mut hash = [0u8; 32];
        hex::decode_to_slice(&self.hash, &mut hash).ok()?;
        Some(hash)
    }

    /// Whether the signature is `public_key`'s over this checkpoint.
    pub fn is_signed_by(&self, public_key: &[u8; 32]) -> bool {
        let mut signature = [0u8; 64];
        let Some(hash) = self.hash_bytes() else {
            return false;
        };
        if hex::decode_to_slice(&self.signature, &mut signature).is_err() {
            return false;
        }
        let message = checkpoint_message(self.position, &hash, self.recorded_at, self.signed_at);
        verify_signature(public_key, &message, &signature)
    }
}

/// The signed message: `"RMLCKP01" ‖ u64 position ‖ hash (32 bytes) ‖ i64 recorded_at ‖ i64
/// signed_at`, integers big-endian (64 bytes).
pub fn checkpoint_message(
    position: Position,
    hash: &[u8; 32],
    recorded_at: i64,
    signed_at: i64,
) -> Vec<u8> {
    let mut message = Vec::with_capacity(64);
    message.extend_from_slice(CHECKPOINT_TAG);
    message.extend_from_slice(&position.to_be_bytes());
    message.extend_from_slice(hash);
    message.extend_from_slice(&recorded_at.to_be_bytes());
    message.extend_from_slice(&signed_at.to_be_bytes());
    message
}

/// Why no checkpoint was signed.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    /// The chain up to the position is broken: nothing is signed.
    #[error("the chain is broken: {report:?}")]
    Broken { report: Box<VerifyReport> },
    /// No event at that position (empty log, or beyond the head).
    #[error("no event at position {0}")]
    NoEvent(Position),
    #[error(transparent)]
    Store(#[from] StoreError),
}

macro_rules! on_pool {
    ($store:expr, $sql:expr, |$pool:ident, $text:ident| $body:expr) => {{
        match $store.engine().pool() {
            EnginePool::Sqlite($pool) => {
                let $text: Cow<'_, str> = Cow::Owned($sql.replace('$', "?"));
                $body
            }
            EnginePool::Postgres($pool) => {
                let $text: Cow<'_, str> = Cow::Borrowed($sql);
                $body
            }
        }
    }};
}

const COLUMNS: &str = "position, hash, recorded_at, signed_at, signature";

fn decode(row: (i64, String, i64, i64, String)) -> Checkpoint {
    Checkpoint {
        position: row.0.max(0) as Position,
        hash: row.1,
        recorded_at: row.2,
        signed_at: row.3,
        signature: row.4,
    }
}

/// Checkpoints with `from <= position <= to`, in position order.
pub async fn list(
    store: &EventStore,
    from: Position,
    to: Position,
) -> Result<Vec<Checkpoint>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_checkpoints WHERE position >= $1 AND position <= $2 \
         ORDER BY position"
    );
    let from = i64::try_from(from).unwrap_or(i64::MAX);
    let to = i64::try_from(to).unwrap_or(i64::MAX);
    let rows: Vec<(i64, String, i64, i64, String)> = on_pool!(store, sql.as_str(), |pool, sql| {
        sqlx::query(&sql)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| {
                Ok::<_, sqlx::Error>((
                    row.try_get(0)?,
                    row.try_get(1)?,
                    row.try_get(2)?,
                    row.try_get(3)?,
                    row.try_get(4)?,
                ))
            })
            .collect::<Result<_, _>>()?
    });
    Ok(rows.into_iter().map(decode).collect())
}

/// The checkpoint at the highest position `<= position`.
pub async fn latest_at_or_before(
    store: &EventStore,
    position: Position,
) -> Result<Option<Checkpoint>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_checkpoints WHERE position <= $1 \
         ORDER BY position DESC LIMIT 1"
    );
    let position = i64::try_from(position).unwrap_or(i64::MAX);
    let row: Option<(i64, String, i64, i64, String)> =
        on_pool!(store, sql.as_str(), |pool, sql| {
            sqlx::query(&sql)
                .bind(position)
                .fetch_optional(pool)
                .await?
                .map(|row| {
                    Ok::<_, sqlx::Error>((
                        row.try_get(0)?,
                        row.try_get(1)?,
                        row.try_get(2)?,
                        row.try_get(3)?,
                        row.try_get(4)?,
                    ))
                })
                .transpose()?
        });
    Ok(row.map(decode))
}

async fn insert(
    store: &EventStore,
    checkpoint: &Checkpoint,
    public_key: &str,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO audit_checkpoints \
        (position, hash, recorded_at, signed_at, public_key, signature) \
        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (position) DO NOTHING";
    let position = i64::try_from(checkpoint.position).unwrap_or(i64::MAX);
    on_pool!(store, SQL, |pool, sql| {
        sqlx::query(&sql)
            .bind(position)
            .bind(&checkpoint.hash)
            .bind(checkpoint.recorded_at)
            .bind(checkpoint.signed_at)
            .bind(public_key)
            .bind(&checkpoint.signature)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Signs a checkpoint at `position` (`None`: the head) after verifying the chain from the latest
/// earlier checkpoint signed by `key` (or the genesis) up to it, and stores it. A checkpoint that
/// already exists at that position is returned as it is.
pub async fn sign_checkpoint(
    store: &EventStore,
    key: &AuditKey,
    position: Option<Position>,
) -> Result<Checkpoint, CheckpointError> {
    let head = store.head().await?;
    let position = position.unwrap_or(head.position);
    if position == 0 || position > head.position {
        return Err(CheckpointError::NoEvent(position));
    }
    let public_key = key.public_key();
    let previous = latest_at_or_before(store, position).await?;
    if let Some(previous) = &previous
        && previous.position == position
    {
        return Ok(previous.clone());
    }
    let start = previous
        .filter(|c| c.is_signed_by(&public_key))
        .and_then(|c| {
            Some(VerifyStart {
                position: c.position,
                hash: c.hash_bytes()?,
                recorded_at_micros: c.recorded_at,
            })
        })
        .unwrap_or(VerifyStart::GENESIS);
    let report = store.verify_range(start, Some(position), |_| {}).await?;
    if !report.is_intact() {
        return Err(CheckpointError::Broken {
            report: Box::new(report),
        });
    }
    let event = store
        .read_all_stored(position, Some(position), &Filter::all(), 1)
        .await?
        .into_iter()
        .next()
        .ok_or(CheckpointError::NoEvent(position))?;
    let signed_at = chrono::Utc::now().timestamp_micros();
    let message = checkpoint_message(
        event.position,
        &event.hash,
        event.recorded_at_micros,
        signed_at,
    );
    let checkpoint = Checkpoint {
        position: event.position,
        hash: hex::encode(event.hash),
        recorded_at: event.recorded_at_micros,
        signed_at,
        signature: hex::encode(key.sign(&message)),
    };
    insert(store, &checkpoint, &key.public_hex()).await?;
    // Another signer may have won the race: return what is stored.
    Ok(latest_at_or_before(store, position)
        .await?
        .filter(|c| c.position == position)
        .unwrap_or(checkpoint))
}

/// Signs a checkpoint at the head whenever `config.checkpoint_every` events were appended since
/// the latest checkpoint; polls the head twice a second. Ends when the store is closed.
pub async fn run_checkpointer(state: actix_web::web::Data<crate::AppState>) {
    let every = state.config.checkpoint_every;
    let mut refused_at: Option<Position> = None;
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let Some(key) = state.audit_key.get() else {
            return;
        };
        let head = match state.store.head().await {
            Ok(head) => head,
            Err(_) => return,
        };
        if head.position == 0 || refused_at == Some(head.position) {
            continue;
        }
        let last = match latest_at_or_before(&state.store, head.position).await {
            Ok(last) => last.map_or(0, |c| c.position),
            Err(_) => return,
        };
        if head.position < last.saturating_add(every) {
            continue;
        }
        match sign_checkpoint(&state.store, key, Some(head.position)).await {
            Ok(checkpoint) => {
                tracing::info!(position = checkpoint.position, "signed a checkpoint");
            }
            Err(CheckpointError::Broken { report }) => {
                tracing::error!(?report, "the hash chain is broken: no checkpoint signed");
                refused_at = Some(head.position);
            }
            Err(error) => {
                tracing::warn!(%error, "no checkpoint signed");
                refused_at = Some(head.position);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/evidence-bundle.md §3.1, worked example.
    #[test]
    fn checkpoint_vector() {
        let seed: [u8; 32] = std::array::from_fn(|i| i as u8 + 1);
        let key = AuditKey::from_seed(&seed);
        assert_eq!(
            key.public_hex(),
            "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664"
        );
        let mut hash = [0u8; 32];
        hex::decode_to_slice(
            "902af2adb2c3ac648f67d813124e4d6326f1084eff7e5ffb948f82ffdadac7d6",
            &mut hash,
        )
        .expect("hex");
        let message = checkpoint_message(1, &hash, 1_767_225_600_000_000, 1_767_225_660_000_000);
        assert_eq!(
            hex::encode(&message),
            "524d4c434b5030310000000000000001\
             902af2adb2c3ac648f67d813124e4d6326f1084eff7e5ffb948f82ffdadac7d6\
             00064748462040000006474849b3c700"
        );
        let signature = hex::encode(key.sign(&message));
        assert_eq!(
            signature,
            "f2dc7735aa866d6764f305fff6bfb94e8585f4faee50bf3e2e2817c504e815c6\
             48300f8474fe18a3563efd6d471a3b2c5ac4dcfa248303b25f11ac0bee68fe08"
        );
        let checkpoint = Checkpoint {
            position: 1,
            hash: hex::encode(hash),
            recorded_at: 1_767_225_600_000_000,
            signed_at: 1_767_225_660_000_000,
            signature,
        };
        assert!(checkpoint.is_signed_by(&key.public_key()));
        let mut forged = checkpoint.clone();
        forged.signed_at += 1;
        assert!(!forged.is_signed_by(&key.public_key()));
    }
}
