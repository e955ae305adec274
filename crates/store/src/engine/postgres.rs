//! PostgreSQL: the production engine. Several stateless processes may share one database: every
//! writer locks the single `head` row first, so positions are assigned and committed in one order
//! (no sequence gaps, no reader ever skipping a late commit). `synchronous_commit` stays on.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions, PgRow};
use sqlx::{PgConnection, Postgres, Row, Transaction};
use uuid::Uuid;

use super::{
    Bind, BoxFuture, EVENT_COLUMNS, Head, LinkPage, LinkPageBuilder, ReadQuery, StorageEngine,
    StoredEvent, WriteTx, micros_to_time, read_sql, snapshot_from, to_hash, to_i64, to_u64,
};
use crate::canonical::EventFields;
use crate::error::{Result, StoreError};
use crate::types::{Position, Snapshot};
use crate::views::{
    ALL_VIEWS_SQL, StoredView, ViewColumns, ViewQuery, ViewWrites, list_sql, stored_all,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// The channel `head_moved` notifies on every commit.
const HEAD_CHANNEL: &str = "redmud_head";

#[derive(Debug, Clone)]
pub struct PostgresEngine {
    pool: PgPool,
}

impl PostgresEngine {
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)?
            .options([("synchronous_commit", "on"), ("timezone", "UTC")]);
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(2))
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// [`StorageEngine::commit_if_head`] of one event ([`MOVE_HEAD_AND_INSERT_ONE`]).
    async fn commit_one_if_head(
        &self,
        expected: Head,
        e: &StoredEvent,
        views: &ViewWrites,
        new_head: Head,
    ) -> Result<bool> {
        let query = sqlx::query(MOVE_HEAD_AND_INSERT_ONE)
            .bind(to_i64(e.position))
            .bind(e.stream.as_str())
            .bind(e.category())
            .bind(to_i64(e.version))
            .bind(e.event_id)
            .bind(e.event_type.as_str())
            .bind(i32::try_from(e.schema_version).unwrap_or(i32::MAX))
            .bind(time_of(e.recorded_at_micros, e.position)?)
            .bind(e.effective.as_deref())
            .bind(e.payload.as_str())
            .bind(e.actor_id.as_str())
            .bind(e.actor_role.as_str())
            .bind(e.organisation.as_str())
            .bind(e.reason.as_deref())
            .bind(e.correlation_id)
            .bind(e.causation_id)
            .bind(e.idempotency_key.as_deref())
            .bind(&e.hash[..])
            .bind(to_i64(new_head.position))
            .bind(&new_head.hash[..])
            .bind(time_of(new_head.recorded_at_micros, new_head.position)?)
            .bind(to_i64(expected.position))
            .bind(&expected.hash[..]);
        // As the group statement: alone, autocommitted; with views, in a transaction with them.
        let mut tx = None;
        let inserted = if views.is_empty() {
            query.execute(&self.pool).await
        } else {
            let tx = tx.insert(self.pool.begin().await?);
            query.execute(&mut **tx).await
        };
        match inserted.map(|done| done.rows_affected()) {
            Ok(1) => {
                if let Some(mut tx) = tx {
                    write_views(&mut tx, views).await?;
                    tx.commit().await?;
                }
                Ok(true)
            }
            Ok(0) => Ok(false),
            Ok(inserted) => Err(StoreError::Corrupt {
                position: expected.position,
                detail: format!("optimistic commit of one event inserted {inserted} rows"),
            }),
            // The event id or (stream, version) already taken: decide again under the lock.
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("23505") => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}

fn placeholder(n: usize) -> String {
    format!("${n}")
}

fn time_micros(time: DateTime<Utc>) -> i64 {
    time.timestamp_micros()
}

fn decode(row: &PgRow) -> Result<StoredEvent> {
    let position = to_u64(row.try_get(0)?, 0, "position")?;
    let hash: &[u8] = row.try_get(16)?;
    let schema_version: i32 = row.try_get(5)?;
    Ok(StoredEvent {
        position,
        stream: row.try_get(1)?,
        version: to_u64(row.try_get(2)?, position, "version")?,
        event_id: row.try_get(3)?,
        event_type: row.try_get(4)?,
        schema_version: u32::try_from(schema_version).map_err(|_| StoreError::Corrupt {
            position,
            detail: format!("schema_version is negative ({schema_version})"),
        })?,
        recorded_at_micros: time_micros(row.try_get(6)?),
        effective: row.try_get(7)?,
        payload: row.try_get(8)?,
        actor_id: row.try_get(9)?,
        actor_role: row.try_get(10)?,
        organisation: row.try_get(11)?,
        reason: row.try_get(12)?,
        correlation_id: row.try_get(13)?,
        causation_id: row.try_get(14)?,
        idempotency_key: row.try_get(15)?,
        hash: to_hash(hash, position)?,
    })
}

fn decode_head(row: &PgRow) -> Result<Head> {
    let position = to_u64(row.try_get(0)?, 0, "head position")?;
    let hash: &[u8] = row.try_get(1)?;
    Ok(Head {
        position,
        hash: to_hash(hash, position)?,
        recorded_at_micros: time_micros(row.try_get(2)?),
    })
}

fn time_of(micros: i64, position: Position) -> Result<DateTime<Utc>> {
    micros_to_time(micros).ok_or_else(|| StoreError::Corrupt {
        position,
        detail: format!("recorded_at {micros} µs is out of range"),
    })
}

impl StorageEngine for PostgresEngine {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn pool(&self) -> super::EnginePool<'_> {
        super::EnginePool::Postgres(&self.pool)
    }

    fn close(&self) -> BoxFuture<'_, ()> {
        Box::pin(super::close_pool(&self.pool))
    }

    fn migrate(&self) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move { Ok(MIGRATOR.run(&self.pool).await?) })
    }

    fn begin_write(&self) -> BoxFuture<'_, Result<Box<dyn WriteTx>>> {
        Box::pin(async move {
            let tx = self.pool.begin().await?;
            Ok(Box::new(PostgresWrite { tx }) as Box<dyn WriteTx>)
        })
    }

    fn commit_if_head(
        &self,
        expected: Head,
        events: Vec<StoredEvent>,
        views: ViewWrites,
        new_head: Head,
    ) -> Option<BoxFuture<'_, Result<bool>>> {
        if events.len() == 1 {
            return Some(Box::pin(async move {
                self.commit_one_if_head(expected, &events[0], &views, new_head)
                    .await
            }));
        }
        Some(Box::pin(async move {
            let (events, views) = (&events, &views);
            let query = events_query(MOVE_HEAD_AND_INSERT, events, new_head)?
                .bind(to_i64(expected.position))
                .bind(expected.hash.to_vec())
                .try_map(|row: PgRow| Ok((row.try_get(0)?, row.try_get(1)?)));
            // Without views: one autocommitted statement. With views: that statement, then the
            // views in a second one of the same transaction. The second runs after the head is
            // locked, so it sees every row committed before (a rebuild's too).
            let mut tx = None;
            let counts: Result<(i64, i64), sqlx::Error> = if views.is_empty() {
                query.fetch_one(&self.pool).await
            } else {
                let tx = tx.insert(self.pool.begin().await?);
                query.fetch_one(&mut **tx).await
            };
            match counts {
                Ok((1, inserted)) if inserted == i64::try_from(events.len()).unwrap_or(-1) => {
                    if let Some(mut tx) = tx {
                        write_views(&mut tx, views).await?;
                        tx.commit().await?;
                    }
                    Ok(true)
                }
                Ok((0, 0)) => Ok(false),
                Ok((moved, inserted)) => Err(StoreError::Corrupt {
                    position: expected.position,
                    detail: format!(
                        "optimistic commit moved {moved} head rows and inserted {inserted} of {} events",
                        events.len()
                    ),
                }),
                // An event id or a (stream, version) already taken: decide again under the lock.
                Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("23505") => Ok(false),
                Err(e) => Err(e.into()),
            }
        }))
    }

    fn read<'a>(&'a self, query: ReadQuery<'a>) -> BoxFuture<'a, Result<Vec<StoredEvent>>> {
        Box::pin(read_events(&self.pool, query))
    }

    fn read_range_bulk(
        &self,
        from: Position,
        to: Option<Position>,
        limit: u32,
    ) -> Option<BoxFuture<'_, Result<Vec<StoredEvent>>>> {
        Some(Box::pin(copy_range(&self.pool, from, to, limit)))
    }

    fn read_links(
        &self,
        from: Position,
        to: Position,
    ) -> Option<BoxFuture<'static, Result<LinkPage>>> {
        let pool = self.pool.clone();
        let read = tokio::spawn(async move { copy_links(&pool, from, to).await });
        Some(Box::pin(async move {
            read.await
                .map_err(|e| StoreError::Database(sqlx::Error::Io(std::io::Error::other(e))))?
        }))
    }

    fn head(&self) -> BoxFuture<'_, Result<Head>> {
        Box::pin(async move {
            decode_head(
                &sqlx::query("SELECT position, hash, recorded_at FROM head WHERE id = 1")
                    .fetch_one(&self.pool)
                    .await?,
            )
        })
    }

    fn position_at(&self, micros: i64) -> BoxFuture<'_, Result<Position>> {
        Box::pin(async move {
            let time = time_of(micros, 0)?;
            let position: Option<i64> =
                sqlx::query_scalar(&super::position_at_sql("$1::timestamptz"))
                    .bind(time)
                    .fetch_one(&self.pool)
                    .await?;
            to_u64(position.unwrap_or(0), 0, "position")
        })
    }

    fn stream_version<'a>(
        &'a self,
        stream: &'a str,
        max_position: Option<Position>,
    ) -> BoxFuture<'a, Result<u64>> {
        Box::pin(async move {
            let version: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(version) FROM events WHERE stream = $1 AND position <= $2",
            )
            .bind(stream)
            .bind(to_i64(max_position.unwrap_or(u64::MAX)))
            .fetch_one(&self.pool)
            .await?;
            to_u64(version.unwrap_or(0), 0, "version")
        })
    }

    fn save_snapshot<'a>(&'a self, snapshot: &'a Snapshot) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            sqlx::query(
                "INSERT INTO snapshots (stream, schema_tag, version, state, taken_at) \
                 VALUES ($1, $2, $3, $4, now()) \
                 ON CONFLICT (stream, schema_tag) DO UPDATE SET version = excluded.version, \
                 state = excluded.state, taken_at = excluded.taken_at \
                 WHERE excluded.version >= snapshots.version",
            )
            .bind(snapshot.stream.as_str())
            .bind(&snapshot.schema_tag)
            .bind(to_i64(snapshot.version))
            .bind(snapshot.state.to_string())
            .execute(&self.pool)
            .await?;
            Ok(())
        })
    }

    fn load_snapshot<'a>(
        &'a self,
        stream: &'a str,
        schema_tag: &'a str,
    ) -> BoxFuture<'a, Result<Option<Snapshot>>> {
        Box::pin(async move {
            let row = sqlx::query(
                "SELECT version, state FROM snapshots WHERE stream = $1 AND schema_tag = $2",
            )
            .bind(stream)
            .bind(schema_tag)
            .fetch_optional(&self.pool)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let (version, state): (i64, String) = (row.try_get(0)?, row.try_get(1)?);
            Ok(snapshot_from(stream, schema_tag, version, &state))
        })
    }

    fn read_view<'a>(
        &'a self,
        model: &'a str,
        key: &'a str,
        at: Option<Position>,
    ) -> BoxFuture<'a, Result<Option<StoredView>>> {
        Box::pin(async move {
            let query = match at {
                None => sqlx::query_as::<_, ViewColumns>(CURRENT_VIEW_SQL),
                Some(at) => sqlx::query_as::<_, ViewColumns>(VIEW_AT_SQL).bind(to_i64(at)),
            };
            query
                .bind(model)
                .bind(key)
                .fetch_optional(&self.pool)
                .await?
                .map(ViewColumns::stored)
                .transpose()
        })
    }

    fn list_views<'a>(
        &'a self,
        query: &'a ViewQuery,
    ) -> BoxFuture<'a, Result<(Vec<StoredView>, u64)>> {
        Box::pin(async move {
            let list = list_sql(query, placeholder, "strpos")?;
            let mut page = sqlx::query_as::<_, ViewColumns>(&list.page);
            let mut count = sqlx::query_scalar::<_, i64>(&list.count);
            for bind in list.binds {
                (page, count) = match bind {
                    Bind::Int(i) => (page.bind(i), count.bind(i)),
                    Bind::Text(s) => (page.bind(s.clone()), count.bind(s)),
                    Bind::Uuid(u) => (page.bind(u), count.bind(u)),
                };
            }
            let page = page
                .bind(list.limit)
                .bind(list.offset)
                .fetch_all(&self.pool);
            let (rows, total) = tokio::try_join!(page, count.fetch_one(&self.pool))?;
            Ok((stored_all(rows)?, to_u64(total, 0, "count")?))
        })
    }

    fn all_views(&self) -> BoxFuture<'_, Result<Vec<StoredView>>> {
        Box::pin(
            async move { stored_all(sqlx::query_as(ALL_VIEWS_SQL).fetch_all(&self.pool).await?) },
        )
    }

    fn watch_remote_heads(
        &self,
        sender: tokio::sync::watch::Sender<Position>,
    ) -> Option<BoxFuture<'static, ()>> {
        let pool = self.pool.clone();
        Some(Box::pin(async move {
            let mut listener = match PgListener::connect_with(&pool).await {
                Ok(listener) => listener,
                Err(error) => {
                    tracing::error!(%error, "cannot LISTEN for remote commits");
                    return;
                }
            };
            if let Err(error) = listener.listen(HEAD_CHANNEL).await {
                tracing::error!(%error, "cannot LISTEN for remote commits");
                return;
            }
            while !sender.is_closed() && !pool.is_closed() {
                // `recv` reconnects by itself after a lost connection.
                match listener.recv().await {
                    Ok(note) => {
                        if let Ok(position) = note.payload().parse::<Position>() {
                            super::announce_head(&sender, position);
                        }
                    }
                    // Closing the store closes the pool: stop listening (a closed pool fails every
                    // reconnect at once, and `close` waits for the listener's connection).
                    Err(_) if pool.is_closed() => break,
                    Err(error) => {
                        tracing::warn!(%error, "LISTEN connection failed; reconnecting");
                        // Back off before the next reconnect instead of spinning on a dead server.
                        tokio::time::sleep(LISTEN_RETRY).await;
                    }
                }
            }
        }))
    }
}

/// Wait between reconnects of the LISTEN connection after a failure.
const LISTEN_RETRY: std::time::Duration = std::time::Duration::from_millis(500);

struct PostgresWrite {
    tx: Transaction<'static, Postgres>,
}

impl WriteTx for PostgresWrite {
    fn lock_head(&mut self) -> BoxFuture<'_, Result<Head>> {
        Box::pin(async move {
            decode_head(
                &sqlx::query(
                    "SELECT position, hash, recorded_at FROM head WHERE id = 1 FOR UPDATE",
                )
                .fetch_one(&mut *self.tx)
                .await?,
            )
        })
    }

    fn stream_versions<'a>(
        &'a mut self,
        streams: &'a [&'a str],
    ) -> BoxFuture<'a, Result<HashMap<String, u64>>> {
        Box::pin(async move {
            let rows = sqlx::query(
                "SELECT s.stream, (SELECT MAX(version) FROM events e WHERE e.stream = s.stream) \
                 FROM UNNEST($1::text[]) AS s(stream)",
            )
            .bind(streams)
            .fetch_all(&mut *self.tx)
            .await?;
            let mut versions = HashMap::with_capacity(rows.len());
            for row in rows {
                if let Some(version) = row.try_get::<Option<i64>, _>(1)? {
                    versions.insert(row.try_get(0)?, to_u64(version, 0, "version")?);
                }
            }
            Ok(versions)
        })
    }

    fn find_events<'a>(&'a mut self, ids: &'a [Uuid]) -> BoxFuture<'a, Result<Vec<StoredEvent>>> {
        Box::pin(async move {
            let rows = sqlx::query(&format!(
                "SELECT {EVENT_COLUMNS} FROM events WHERE event_id = ANY($1)"
            ))
            .bind(ids)
            .fetch_all(&mut *self.tx)
            .await?;
            rows.iter().map(decode).collect()
        })
    }

    fn insert<'a>(
        &'a mut self,
        events: &'a [StoredEvent],
        head: Head,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            // One statement inserts the whole group and moves the head.
            events_query(INSERT_AND_MOVE_HEAD, events, head)?
                .bind(i64::try_from(events.len()).unwrap_or(i64::MAX))
                .execute(&mut *self.tx)
                .await?;
            Ok(())
        })
    }

    fn read<'a>(&'a mut self, query: ReadQuery<'a>) -> BoxFuture<'a, Result<Vec<StoredEvent>>> {
        Box::pin(read_events(&mut *self.tx, query))
    }

    fn write_views<'a>(&'a mut self, views: &'a ViewWrites) -> BoxFuture<'a, Result<()>> {
        Box::pin(write_views(&mut self.tx, views))
    }

    fn clear_views(&mut self) -> BoxFuture<'_, Result<u64>> {
        Box::pin(async move {
            Ok(sqlx::query("DELETE FROM read_models")
                .execute(&mut *self.tx)
                .await?
                .rows_affected())
        })
    }

    fn commit(self: Box<Self>) -> BoxFuture<'static, Result<()>> {
        Box::pin(async move { Ok(self.tx.commit().await?) })
    }
}

async fn read_events(
    executor: impl sqlx::PgExecutor<'_>,
    query: ReadQuery<'_>,
) -> Result<Vec<StoredEvent>> {
    let (sql, binds) = read_sql(&query, placeholder);
    let mut q = sqlx::query(&sql);
    for bind in binds {
        q = match bind {
            Bind::Int(i) => q.bind(i),
            Bind::Text(s) => q.bind(s),
            Bind::Uuid(u) => q.bind(u),
        };
    }
    let rows = q.fetch_all(executor).await?;
    rows.iter().map(decode).collect()
}

/// The columns of `events` as arrays, bound as `$1`…`$18`, and `head` as `$19`…`$21`.
fn events_query<'q>(
    sql: &'q str,
    events: &'q [StoredEvent],
    head: Head,
) -> Result<sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>> {
    let n = events.len();
    let mut position = Vec::with_capacity(n);
    let mut stream = Vec::with_capacity(n);
    let mut category = Vec::with_capacity(n);
    let mut version = Vec::with_capacity(n);
    let mut event_id = Vec::with_capacity(n);
    let mut event_type = Vec::with_capacity(n);
    let mut schema_version = Vec::with_capacity(n);
    let mut recorded_at = Vec::with_capacity(n);
    let mut effective = Vec::with_capacity(n);
    let mut payload = Vec::with_capacity(n);
    let mut actor_id = Vec::with_capacity(n);
    let mut actor_role = Vec::with_capacity(n);
    let mut organisation = Vec::with_capacity(n);
    let mut reason = Vec::with_capacity(n);
    let mut correlation_id = Vec::with_capacity(n);
    let mut causation_id = Vec::with_capacity(n);
    let mut idempotency_key = Vec::with_capacity(n);
    let mut hash = Vec::with_capacity(n);
    for e in events {
        position.push(to_i64(e.position));
        stream.push(e.stream.as_str());
        category.push(e.category());
        version.push(to_i64(e.version));
        event_id.push(e.event_id);
        event_type.push(e.event_type.as_str());
        schema_version.push(i32::try_from(e.schema_version).unwrap_or(i32::MAX));
        recorded_at.push(time_of(e.recorded_at_micros, e.position)?);
        effective.push(e.effective.as_deref());
        payload.push(e.payload.as_str());
        actor_id.push(e.actor_id.as_str());
        actor_role.push(e.actor_role.as_str());
        organisation.push(e.organisation.as_str());
        reason.push(e.reason.as_deref());
        correlation_id.push(e.correlation_id);
        causation_id.push(e.causation_id);
        idempotency_key.push(e.idempotency_key.as_deref());
        hash.push(&e.hash[..]);
    }
    Ok(sqlx::query(sql)
        .bind(position)
        .bind(stream)
        .bind(category)
        .bind(version)
        .bind(event_id)
        .bind(event_type)
        .bind(schema_version)
        .bind(recorded_at)
        .bind(effective)
        .bind(payload)
        .bind(actor_id)
        .bind(actor_role)
        .bind(organisation)
        .bind(reason)
        .bind(correlation_id)
        .bind(causation_id)
        .bind(idempotency_key)
        .bind(hash)
        .bind(to_i64(head.position))
        .bind(head.hash.to_vec())
        .bind(time_of(head.recorded_at_micros, head.position)?))
}

/// Inside the write transaction (head already locked): insert, then move the head if every row
/// went in.
const INSERT_AND_MOVE_HEAD: &str = "WITH inserted AS (INSERT INTO events (position, stream, \
    category, version, event_id, event_type, schema_version, recorded_at, effective, payload, \
    actor_id, actor_role, organisation, reason, correlation_id, causation_id, idempotency_key, hash) \
    SELECT * FROM UNNEST($1::int8[], $2::text[], $3::text[], $4::int8[], $5::uuid[], $6::text[], \
    $7::int4[], $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], \
    $14::text[], $15::uuid[], $16::uuid[], $17::text[], $18::bytea[]) RETURNING 1) \
    UPDATE head SET position = $19, hash = $20, recorded_at = $21 \
    WHERE id = 1 AND (SELECT count(*) FROM inserted) = $22";

/// Optimistic, in one autocommitted statement: move the head only if it is still at ($22, $23)
/// (waiting for, then re-checking against, any writer holding it), and insert only if it moved.
const MOVE_HEAD_AND_INSERT: &str = "WITH moved AS (UPDATE head SET position = $19, hash = $20, \
    recorded_at = $21 WHERE id = 1 AND position = $22 AND hash = $23 RETURNING 1), \
    inserted AS (INSERT INTO events (position, stream, category, version, event_id, event_type, \
    schema_version, recorded_at, effective, payload, actor_id, actor_role, organisation, reason, \
    correlation_id, causation_id, idempotency_key, hash) \
    SELECT * FROM UNNEST($1::int8[], $2::text[], $3::text[], $4::int8[], $5::uuid[], $6::text[], \
    $7::int4[], $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], \
    $14::text[], $15::uuid[], $16::uuid[], $17::text[], $18::bytea[]) \
    WHERE EXISTS (SELECT 1 FROM moved) RETURNING 1) \
    SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM inserted)";

/// [`MOVE_HEAD_AND_INSERT`] for one event, its columns bound as values rather than arrays: a
/// plain `INSERT … SELECT <values> FROM moved`, which PostgreSQL plans and runs in about half the
/// time of the UNNEST over eighteen one-element arrays and the two counts. One row inserted: the
/// head was where it was expected and moved; none: it had moved (nothing written).
const MOVE_HEAD_AND_INSERT_ONE: &str = "WITH moved AS (UPDATE head SET position = $19, \
    hash = $20, recorded_at = $21 WHERE id = 1 AND position = $22 AND hash = $23 RETURNING 1) \
    INSERT INTO events (position, stream, category, version, event_id, event_type, \
    schema_version, recorded_at, effective, payload, actor_id, actor_role, organisation, reason, \
    correlation_id, causation_id, idempotency_key, hash) \
    SELECT $1::int8, $2::text, $3::text, $4::int8, $5::uuid, $6::text, $7::int4, \
    $8::timestamptz, $9::text, $10::text, $11::text, $12::text, $13::text, $14::text, $15::uuid, \
    $16::uuid, $17::text, $18::bytea FROM moved";

const CURRENT_VIEW_SQL: &str = "SELECT model, key, version, valid_from, valid_to, region, kind, \
    status, task, tags, search, sort_name, doc FROM read_models \
    WHERE model = $1 AND key = $2 AND valid_to IS NULL";

const VIEW_AT_SQL: &str = "SELECT model, key, version, valid_from, valid_to, region, kind, \
    status, task, tags, search, sort_name, doc FROM read_models \
    WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) AND model = $2 AND key = $3 \
    ORDER BY valid_from DESC LIMIT 1";

/// Closes the current rows, then (in the same statement, once every close is done) inserts the
/// new ones: one round trip for any number of rows.
const WRITE_VIEWS: &str = "WITH closed AS (UPDATE read_models r SET valid_to = c.at \
    FROM UNNEST($1::text[], $2::text[], $3::int8[]) AS c(model, key, at) \
    WHERE r.model = c.model AND r.key = c.key AND r.valid_to IS NULL RETURNING 1), \
    inserted AS (INSERT INTO read_models (model, key, version, valid_from, valid_to, region, kind, \
    status, task, tags, search, sort_name, doc) \
    SELECT * FROM UNNEST($4::text[], $5::text[], $6::int8[], $7::int8[], $8::int8[], $9::text[], \
    $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[]) \
    WHERE (SELECT count(*) FROM closed) >= 0 RETURNING 1) \
    SELECT count(*) FROM inserted";

async fn write_views(conn: &mut PgConnection, views: &ViewWrites) -> Result<()> {
    let close = &views.close;
    let rows = &views.insert;
    let texts = |f: fn(&StoredView) -> &str| rows.iter().map(f).collect::<Vec<&str>>();
    let inserted: i64 = sqlx::query_scalar(WRITE_VIEWS)
        .bind(close.iter().map(|c| c.model.as_str()).collect::<Vec<_>>())
        .bind(close.iter().map(|c| c.key.as_str()).collect::<Vec<_>>())
        .bind(close.iter().map(|c| to_i64(c.at)).collect::<Vec<_>>())
        .bind(texts(|r| &r.model))
        .bind(texts(|r| &r.key))
        .bind(rows.iter().map(|r| to_i64(r.version)).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|r| to_i64(r.valid_from))
                .collect::<Vec<_>>(),
        )
        .bind(
            rows.iter()
                .map(|r| r.valid_to.map(to_i64))
                .collect::<Vec<_>>(),
        )
        .bind(texts(|r| &r.region))
        .bind(texts(|r| &r.kind))
        .bind(texts(|r| &r.status))
        .bind(rows.iter().map(|r| r.task.as_deref()).collect::<Vec<_>>())
        .bind(texts(|r| &r.tags))
        .bind(texts(|r| &r.search))
        .bind(texts(|r| &r.sort_name))
        .bind(texts(|r| &r.doc))
        .fetch_one(conn)
        .await?;
    if inserted != i64::try_from(rows.len()).unwrap_or(-1) {
        return Err(StoreError::Corrupt {
            position: rows.first().map_or(0, |r| r.valid_from),
            detail: format!("inserted {inserted} of {} read-model rows", rows.len()),
        });
    }
    Ok(())
}

// ----- bulk reads: COPY … TO STDOUT (FORMAT binary) ----------------------------------------------

/// Reads `from..=to` (at most `limit` rows) with `COPY (SELECT …) TO STDOUT (FORMAT binary)`:
/// one statement whose rows arrive as one byte stream, decoded in one pass, instead of sqlx's
/// row-at-a-time decoding (`docs/benchmarks.md`). The SQL holds only integers.
async fn copy_range(
    pool: &PgPool,
    from: Position,
    to: Option<Position>,
    limit: u32,
) -> Result<Vec<StoredEvent>> {
    let upper = to.map_or(String::new(), |to| {
        format!(" AND position <= {}", super::to_i64(to))
    });
    let sql = format!(
        "COPY (SELECT {EVENT_COLUMNS} FROM events WHERE position >= {}{upper} \
         ORDER BY position LIMIT {limit}) TO STDOUT (FORMAT binary)",
        super::to_i64(from)
    );
    match copy_out(pool, &sql, Sink::Events(Vec::new())).await? {
        Sink::Events(events) => Ok(events),
        Sink::Links { .. } => Err(corrupt("events read as links")),
    }
}

/// The links of `from..=to` ([`StorageEngine::read_links`]): the same COPY, with the row before
/// `from`, each tuple hashed where it lies in the COPY buffer.
async fn copy_links(pool: &PgPool, from: Position, to: Position) -> Result<LinkPage> {
    let sql = format!(
        "COPY (SELECT {EVENT_COLUMNS} FROM events WHERE position >= {} AND position <= {} \
         ORDER BY position) TO STDOUT (FORMAT binary)",
        super::to_i64(from.saturating_sub(1).max(1)),
        super::to_i64(to)
    );
    let capacity = usize::try_from(to.saturating_sub(from) + 1).unwrap_or(0);
    let sink = Sink::Links {
        page: LinkPageBuilder::new(from, capacity.min(1 << 20)),
        stopped: false,
    };
    match copy_out(pool, &sql, sink).await? {
        Sink::Links { page, .. } => Ok(page.finish()),
        Sink::Events(_) => Err(corrupt("links read as events")),
    }
}

async fn copy_out(pool: &PgPool, sql: &str, sink: Sink) -> Result<Sink> {
    use futures_util::StreamExt;
    use sqlx::postgres::PgPoolCopyExt;

    let mut stream = pool.copy_out_raw(sql).await?;
    let mut decoder = CopyDecoder {
        buf: Vec::new(),
        at: 0,
        header_read: false,
        done: false,
        sink,
    };
    while let Some(chunk) = stream.next().await {
        decoder.push(&chunk?)?;
    }
    decoder.finish()
}

/// Microseconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z).
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;
const COPY_SIGNATURE: &[u8; 11] = b"PGCOPY\n\xff\r\n\0";

/// Decodes the binary COPY format of the 17 event columns, fed in chunks of any size.
#[derive(Debug)]
struct CopyDecoder {
    buf: Vec<u8>,
    at: usize,
    header_read: bool,
    done: bool,
    sink: Sink,
}

/// What the decoded tuples become.
#[derive(Debug)]
enum Sink {
    Events(Vec<StoredEvent>),
    /// `stopped`: an unsound link ended the page; the rest of the stream is only consumed.
    Links {
        page: LinkPageBuilder,
        stopped: bool,
    },
}

fn corrupt(detail: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        position: 0,
        detail: format!("COPY binary stream: {}", detail.into()),
    }
}

/// A cursor over one complete tuple.
struct Fields<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Fields<'a> {
    fn field(&mut self) -> Result<Option<&'a [u8]>> {
        let len_bytes = self
            .data
            .get(self.at..self.at + 4)
            .ok_or_else(|| corrupt("truncated field length"))?;
        let len = i32::from_be_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]);
        self.at += 4;
        if len < 0 {
            return Ok(None);
        }
        let len = len as usize;
        let value = self
            .data
            .get(self.at..self.at + len)
            .ok_or_else(|| corrupt("truncated field"))?;
        self.at += len;
        Ok(Some(value))
    }

    fn required(&mut self, column: &str) -> Result<&'a [u8]> {
        self.field()?
            .ok_or_else(|| corrupt(format!("{column} is NULL")))
    }

    fn int8(&mut self, column: &str) -> Result<i64> {
        let bytes: [u8; 8] = self
            .required(column)?
            .try_into()
            .map_err(|_| corrupt(format!("{column} is not 8 bytes")))?;
        Ok(i64::from_be_bytes(bytes))
    }

    fn text(&mut self, column: &str) -> Result<&'a str> {
        let bytes = self.required(column)?;
        simdutf8::basic::from_utf8(bytes).map_err(|_| corrupt(format!("{column} is not UTF-8")))
    }

    fn opt_text(&mut self, column: &str) -> Result<Option<&'a str>> {
        self.field()?
            .map(|bytes| {
                simdutf8::basic::from_utf8(bytes)
                    .map_err(|_| corrupt(format!("{column} is not UTF-8")))
            })
            .transpose()
    }

    fn opt_uuid(&mut self, column: &str) -> Result<Option<&'a Uuid>> {
        self.field()?
            .map(|bytes| {
                <&[u8; 16]>::try_from(bytes)
                    .map(Uuid::from_bytes_ref)
                    .map_err(|_| corrupt(format!("{column} is not a UUID")))
            })
            .transpose()
    }
}

impl CopyDecoder {
    fn push(&mut self, chunk: &[u8]) -> Result<()> {
        if self.at > 0 && self.at >= self.buf.len() / 2 {
            self.buf.drain(..self.at);
            self.at = 0;
        }
        self.buf.extend_from_slice(chunk);
        self.decode_available()
    }

    fn decode_available(&mut self) -> Result<()> {
        if !self.header_read {
            if self.buf.len() < 19 {
                return Ok(());
            }
            if &self.buf[..11] != COPY_SIGNATURE {
                return Err(corrupt("bad signature"));
            }
            let ext = u32::from_be_bytes([self.buf[15], self.buf[16], self.buf[17], self.buf[18]]);
            let start = 19 + ext as usize;
            if self.buf.len() < start {
                return Ok(());
            }
            self.at = start;
            self.header_read = true;
        }
        while !self.done {
            let Some(end) = self.tuple_end()? else {
                return Ok(());
            };
            let data = &self.buf[self.at..end];
            let count = i16::from_be_bytes([data[0], data[1]]);
            if count == -1 {
                self.done = true;
                self.at = end;
                break;
            }
            let mut fields = Fields { data, at: 2 };
            match &mut self.sink {
                Sink::Events(events) => events.push(decode_tuple(&mut fields)?),
                Sink::Links { page, stopped } if !*stopped => {
                    *stopped = !page.row(borrow_tuple(&mut fields).ok());
                }
                Sink::Links { .. } => {}
            }
            self.at = end;
        }
        Ok(())
    }

    /// Where the tuple starting at `self.at` ends, if it is complete in the buffer.
    fn tuple_end(&self) -> Result<Option<usize>> {
        let data = &self.buf[self.at..];
        if data.len() < 2 {
            return Ok(None);
        }
        let count = i16::from_be_bytes([data[0], data[1]]);
        if count == -1 {
            return Ok(Some(self.at + 2));
        }
        if count != 17 {
            return Err(corrupt(format!("{count} columns, not 17")));
        }
        let mut at = 2;
        for _ in 0..count {
            let Some(len_bytes) = data.get(at..at + 4) else {
                return Ok(None);
            };
            let len = i32::from_be_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]);
            at += 4 + usize::try_from(len).unwrap_or(0);
            if at > data.len() {
                return Ok(None);
            }
        }
        Ok(Some(self.at + at))
    }

    fn finish(self) -> Result<Sink> {
        if !self.done {
            return Err(corrupt("no trailer"));
        }
        Ok(self.sink)
    }
}

/// A tuple's hashed fields and stored hash, borrowed from the COPY buffer.
fn borrow_tuple<'a>(f: &mut Fields<'a>) -> Result<(EventFields<'a>, [u8; 32])> {
    let position = to_u64(f.int8("position")?, 0, "position")?;
    let stream = f.text("stream")?;
    let version = to_u64(f.int8("version")?, position, "version")?;
    let event_id = f
        .opt_uuid("event_id")?
        .ok_or_else(|| corrupt("event_id is NULL"))?;
    let event_type = f.text("event_type")?;
    let schema_bytes: [u8; 4] = f
        .required("schema_version")?
        .try_into()
        .map_err(|_| corrupt("schema_version is not 4 bytes"))?;
    let schema_version = i32::from_be_bytes(schema_bytes);
    let recorded_at_micros = f.int8("recorded_at")?.saturating_add(PG_EPOCH_MICROS);
    let fields = EventFields {
        position,
        stream,
        version,
        event_id,
        event_type,
        schema_version: u32::try_from(schema_version).map_err(|_| StoreError::Corrupt {
            position,
            detail: format!("schema_version is negative ({schema_version})"),
        })?,
        recorded_at_micros,
        effective: f.opt_text("effective")?,
        payload: f.text("payload")?,
        actor_id: f.text("actor_id")?,
        actor_role: f.text("actor_role")?,
        organisation: f.text("organisation")?,
        reason: f.opt_text("reason")?,
        correlation_id: f.opt_uuid("correlation_id")?,
        causation_id: f.opt_uuid("causation_id")?,
        idempotency_key: f.opt_text("idempotency_key")?,
    };
    Ok((fields, to_hash(f.required("hash")?, position)?))
}

fn decode_tuple(f: &mut Fields<'_>) -> Result<StoredEvent> {
    let (e, hash) = borrow_tuple(f)?;
    Ok(StoredEvent {
        position: e.position,
        stream: e.stream.to_owned(),
        version: e.version,
        event_id: *e.event_id,
        event_type: e.event_type.to_owned(),
        schema_version: e.schema_version,
        recorded_at_micros: e.recorded_at_micros,
        effective: e.effective.map(str::to_owned),
        payload: e.payload.to_owned(),
        actor_id: e.actor_id.to_owned(),
        actor_role: e.actor_role.to_owned(),
        organisation: e.organisation.to_owned(),
        reason: e.reason.map(str::to_owned),
        correlation_id: e.correlation_id.copied(),
        causation_id: e.causation_id.copied(),
        idempotency_key: e.idempotency_key.map(str::to_owned),
        hash,
    })
}
