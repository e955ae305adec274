//! The server's own tables (`migrations/*/20261128000003_accounts.sql`): password hashes, sessions
//! and idempotency records. They share the event store's connection pool; the SQL is written once
//! with `$n` placeholders, which SQLite reads as `?n`.

use std::borrow::Cow;

use redmud_store::{EnginePool, EventStore, StoreError};
use sqlx::Row;
use uuid::Uuid;

/// Runs the same sqlx expression on whichever pool the store has.
macro_rules! on_pool {
    ($store:expr, $sql:expr, |$pool:ident, $text:ident| $body:expr) => {{
        match $store.engine().pool() {
            EnginePool::Sqlite($pool) => {
                let $text: Cow<'static, str> = Cow::Owned($sql.replace('$', "?"));
                $body
            }
            EnginePool::Postgres($pool) => {
                let $text: Cow<'static, str> = Cow::Borrowed($sql);
                $body
            }
        }
    }};
}

type Result<T> = std::result::Result<T, StoreError>;

/// A stored password hash.
#[derive(Debug, Clone)]
pub struct Credential {
    pub account_id: Uuid,
    pub password_hash: String,
}

/// A live session row.
#[derive(Debug, Clone, Copy)]
pub struct SessionRow {
    pub account_id: Uuid,
    pub expires_at: i64,
    pub revoked: bool,
}

/// A remembered first response to an idempotent command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentResponse {
    pub fingerprint: String,
    pub status: u16,
    pub location: Option<String>,
    pub etag: Option<String>,
    pub body: String,
}

fn parse_id(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|error| StoreError::Database(sqlx::Error::Decode(error.into())))
}

pub async fn set_credential(
    store: &EventStore,
    account_id: Uuid,
    username: &str,
    password_hash: &str,
    now_micros: i64,
) -> Result<()> {
    const SQL: &str = "INSERT INTO credentials (account_id, username, password_hash, updated_at) \
        VALUES ($1, $2, $3, $4) ON CONFLICT (account_id) DO UPDATE \
        SET password_hash = excluded.password_hash, updated_at = excluded.updated_at";
    on_pool!(store, SQL, |pool, sql| {
        sqlx::query(&sql)
            .bind(account_id.to_string())
            .bind(username)
            .bind(password_hash)
            .bind(now_micros)
            .execute(pool)
            .await?;
    });
    Ok(())
}

pub async fn credential(store: &EventStore, username: &str) -> Result<Option<Credential>> {
    const SQL: &str = "SELECT account_id, password_hash FROM credentials WHERE username = $1";
    let row: Option<(String, String)> = on_pool!(store, SQL, |pool, sql| {
        sqlx::query(&sql)
            .bind(username)
            .fetch_optional(pool)
            .await?
            .map(|row| Ok::<_, sqlx::Error>((row.try_get(0)?, row.try_get(1)?)))
            .transpose()?
    });
    row.map(|(id, password_hash)| {
        Ok(Credential {
            account_id: parse_id(&id)?,
            password_hash,
        })
    })
    .transpose()
}

pub async fn insert_session(
    store: &EventStore,
    token_hash: &str,
    account_id: Uuid,
    created_at: i64,
    expires_at: i64,
) -> Result<()> {
    const SQL: &str = "INSERT INTO sessions (token_hash, account_id, created_at, expires_at) \
        VALUES ($1, $2, $3, $4)";
    on_pool!(store, SQL, |pool, sql| {
        sqlx::query(&sql)
            .bind(token_hash)
            .bind(account_id.to_string())
            .bind(created_at)
            .bind(expires_at)
            .execute(pool)
            .await?;
    });
    Ok(())
}

pub async fn session(store: &EventStore, token_hash: &str) -> Result<Option<SessionRow>> {
    const SQL: &str =
        "SELECT account_id, expires_at, revoked_at FROM sessions WHERE token_hash = $1";
    let row: Option<(String, i64, Option<i64>)> = on_pool!(store, SQL, |pool, sql| {
        sqlx::query(&sql)
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
            .map(|row| Ok::<_, sqlx::Error>((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
            .transpose()?
    });
    row.map(|(id, expires_at, revoked_at)| {
        Ok(SessionRow {
            account_id: parse_id(&id)?,
            expires_at,
            revoked: revoked_at.is_some(),
        })
    })
    .transpose()
}

/// Revokes one session; returns whether it was live.
pub async fn revoke_session(store: &EventStore, token_hash: &str, now: i64) -> Result<bool> {
    const SQL: &str =
        "UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL";
    let affected = on_pool!(store, SQL, |pool, sql| {
        sqlx::query(&sql)
            .bind(token_hash)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(affected > 0)
}

/// Revokes every session of an account (disabled account, new password); returns how many.
pub async fn revoke_account_sessions(
    store: &EventStore,
    account_id: Uuid,
    now: i64,
) -> Result<u64> {
    const SQL: &str =
        "UPDATE sessions SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL";
    let affected = on_pool!(store, SQL, |pool, sql| {
        sqlx::query(&sql)
            .bind(account_id.to_string())
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(affected)
}

/// Deletes sessions that expired before `before` (housekeeping).
pub async fn purge_sessions(store: &EventStore, before: i64) -> Result<u64> {
    const SQL: &str = "DELETE FROM sessions WHERE expires_at < $1";
    let affected = on_pool!(store, SQL, |pool, sql| {
        sqlx::query(&sql)
            .bind(before)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(affected)
}

pub async fn idempotent_response(
    store: &EventStore,
    actor_id: &str,
    key: &str,
) -> Result<Option<IdempotentResponse>> {
    const SQL: &str = "SELECT fingerprint, status, location, etag, body FROM idempotency \
        WHERE actor_id = $1 AND key = $2";
    let row = on_pool!(store, SQL, |pool, sql| {
        sqlx::query(&sql)
            .bind(actor_id)
            .bind(key)
            .fetch_optional(pool)
            .await?
            .map(|row| {
                Ok::<_, sqlx::Error>(IdempotentResponse {
                    fingerprint: row.try_get(0)?,
                    status: u16::try_from(row.try_get::<i32, _>(1)?).unwrap_or(200),
                    location: row.try_get(2)?,
                    etag: row.try_get(3)?,
                    body: row.try_get(4)?,
                })
            })
            .transpose()?
    });
    Ok(row)
}

/// Remembers a response; a concurrent first writer wins (`ON CONFLICT DO NOTHING`).
pub async fn remember_response(
    store: &EventStore,
    actor_id: &str,
    key: &str,
    response: &IdempotentResponse,
    now: i64,
) -> Result<()> {
    const SQL: &str = "INSERT INTO idempotency \
        (actor_id, key, fingerprint, status, location, etag, body, created_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (actor_id, key) DO NOTHING";
    on_pool!(store, SQL, |pool, sql| {
        sqlx::query(&sql)
            .bind(actor_id)
            .bind(key)
            .bind(&response.fingerprint)
            .bind(i32::from(response.status))
            .bind(&response.location)
            .bind(&response.etag)
            .bind(&response.body)
            .bind(now)
            .execute(pool)
            .await?;
    });
    Ok(())
}
