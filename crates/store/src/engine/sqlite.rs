//! SQLite: the embedded default. One file, WAL journal, `synchronous = FULL` (an acknowledged append
//! survives power loss). Writers serialise with `BEGIN IMMEDIATE`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Row, Sqlite, SqliteConnection, Transaction};
use uuid::Uuid;

use super::{
    Bind, BoxFuture, EVENT_COLUMNS, Head, LinkPage, LinkPageBuilder, ReadQuery, RowSink, RowsEnd,
    StorageEngine, StoredEvent, WriteTx, order_by, read_sql, snapshot_from, to_hash, to_i64,
    to_u64,
};
use crate::canonical::EventFields;
use crate::error::{Result, StoreError};
use crate::types::{Position, Snapshot};
use crate::views::{
    ALL_VIEWS_SQL, StoredView, VIEW_COLUMNS, ViewColumns, ViewQuery, ViewWrites, list_sql,
    stored_all,
};

mod commit;

use commit::CommitConnection;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");

/// Rows per multi-row INSERT (18 columns each: 16,200 parameters, below SQLite's 32,766).
const INSERT_CHUNK: usize = 900;

/// How often a store looks for commits made by other processes on the same file.
const REMOTE_POLL: Duration = Duration::from_millis(100);

/// How often the write-ahead log is checkpointed (see [`checkpoint_in_background`]).
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// Every how many checkpoints the commit connection checkpoints too, so that the log restarts
/// (see [`checkpoint_in_background`]): every 2 s.
const RESTART_EVERY: u32 = 4;

/// The SQLite engine: an sqlx pool for reads and the locked write path, a rusqlite connection on
/// a thread of its own for the group commits ([`commit`]), rusqlite readers for bulk reads.
#[derive(Debug, Clone)]
pub struct SqliteEngine {
    pool: SqlitePool,
    /// Blocking readers for [`StorageEngine::read_links`]; `None` for an in-memory database.
    link_readers: Option<Arc<LinkReaders>>,
    /// The connection that runs [`StorageEngine::commit_if_head`]; `None` for an in-memory
    /// database (which no second connection can open): its commits take the locked path.
    commit: Option<Arc<CommitConnection>>,
}

impl SqliteEngine {
    /// Opens (creating if missing) the database at a `sqlite:` URL.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true)
            // Checkpoints run beside the writers (below), not inside a commit.
            .pragma("wal_autocheckpoint", "0")
            // Each pooled connection keeps its own page cache, which fills as the database grows:
            // 512 KiB each (SQLite's default is 2 MB) bounds that memory to a few MiB for the
            // whole pool; the pages stay in the kernel's file cache either way.
            .pragma("cache_size", "-512");
        let file = options.get_filename().to_owned();
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections.max(2))
            .connect_with(options)
            .await?;
        // An in-memory database has no file that another connection could open.
        let on_disk = file.is_file();
        let commit = if on_disk {
            Some(Arc::new(CommitConnection::open(&file)?))
        } else {
            None
        };
        tokio::spawn(checkpoint_in_background(pool.clone(), commit.clone()));
        let link_readers = on_disk.then(|| {
            Arc::new(LinkReaders {
                file,
                idle: Mutex::new(Vec::new()),
                closed: AtomicBool::new(false),
            })
        });
        Ok(Self {
            pool,
            link_readers,
            commit,
        })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// Copies the write-ahead log back into the database file every [`CHECKPOINT_EVERY`] while the
/// pool is open. SQLite's automatic checkpoint would run inside whichever commit crosses 1,000
/// WAL pages, making that commit (and every append grouped into it) wait for the copy and an
/// extra fsync of the database file; a `PASSIVE` checkpoint on its own connection never blocks a
/// writer.
///
/// The log restarts from its beginning only at a commit that finds every frame copied, which a
/// checkpoint beside a steady stream of commits never leaves behind: it copies up to the last
/// commit before it started, and the commits made meanwhile are still to copy. Under sustained
/// load the log then grew by every commit (about 38 MB/s at 2,000 commands/s, 350 MB in a
/// 10-second benchmark), and each write to the new end of the file cost the kernel a fresh page
/// of cache (10 % of all CPU in the command benchmark). So every [`RESTART_EVERY`] ticks the commit
/// connection checkpoints too, between two of its commits: it has only the frames since this
/// task's checkpoint to copy, and then nothing is left, so its next commit restarts the log. The
/// log stays at about two seconds of commits and its pages are reused.
async fn checkpoint_in_background(pool: SqlitePool, commit: Option<Arc<CommitConnection>>) {
    let mut ticks = 0u32;
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if pool.is_closed() {
            return;
        }
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            if pool.is_closed() {
                return;
            }
            tracing::warn!(%error, "WAL checkpoint failed; retrying at the next tick");
        }
        ticks = ticks.wrapping_add(1);
        if ticks.is_multiple_of(RESTART_EVERY)
            && let Some(done) = commit.as_ref().and_then(|c| c.checkpoint())
            && let Err(error) = done.await
        {
            tracing::warn!(%error, "WAL checkpoint failed; retrying at the next tick");
        }
    }
}

fn placeholder(_: usize) -> String {
    "?".to_owned()
}

fn decode(row: &SqliteRow) -> Result<StoredEvent> {
    let position: i64 = row.try_get(0)?;
    let position = to_u64(position, 0, "position")?;
    let int = |i: usize, name: &str| -> Result<u64> { to_u64(row.try_get(i)?, position, name) };
    let hash: &[u8] = row.try_get(16)?;
    Ok(StoredEvent {
        position,
        stream: row.try_get(1)?,
        version: int(2, "version")?,
        event_id: row.try_get(3)?,
        event_type: row.try_get(4)?,
        schema_version: u32::try_from(int(5, "schema_version")?).map_err(|_| {
            StoreError::Corrupt {
                position,
                detail: "schema_version exceeds u32".into(),
            }
        })?,
        recorded_at_micros: row.try_get(6)?,
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

/// One row of a page as `json_array` writes it: blobs as (upper-case) hex, NULL as null.
#[derive(serde::Deserialize)]
struct PageRow(
    u64,
    String,
    u64,
    String,
    String,
    u32,
    i64,
    Option<String>,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

fn decode_page(page: &str) -> Result<Vec<StoredEvent>> {
    let corrupt = |position, detail: String| StoreError::Corrupt { position, detail };
    let rows: Vec<PageRow> =
        serde_json::from_str(page).map_err(|e| corrupt(0, format!("page of rows: {e}")))?;
    rows.into_iter()
        .map(|r| {
            let position = r.0;
            let uuid = |text: &str| {
                Uuid::try_parse(text).map_err(|e| corrupt(position, format!("uuid {text:?}: {e}")))
            };
            let optional_uuid = |text: Option<String>| -> Result<Option<Uuid>> {
                text.filter(|t| !t.is_empty()).map(|t| uuid(&t)).transpose()
            };
            let mut hash = [0u8; 32];
            hex::decode_to_slice(&r.16, &mut hash)
                .map_err(|e| corrupt(position, format!("hash {:?}: {e}", r.16)))?;
            Ok(StoredEvent {
                position,
                stream: r.1,
                version: r.2,
                event_id: uuid(&r.3)?,
                event_type: r.4,
                schema_version: r.5,
                recorded_at_micros: r.6,
                effective: r.7,
                payload: r.8,
                actor_id: r.9,
                actor_role: r.10,
                organisation: r.11,
                reason: r.12,
                correlation_id: optional_uuid(r.13)?,
                causation_id: optional_uuid(r.14)?,
                idempotency_key: r.15,
                hash,
            })
        })
        .collect()
}

fn decode_head(row: &SqliteRow) -> Result<Head> {
    let position = to_u64(row.try_get(0)?, 0, "head position")?;
    let hash: &[u8] = row.try_get(1)?;
    Ok(Head {
        position,
        hash: to_hash(hash, position)?,
        recorded_at_micros: row.try_get(2)?,
    })
}

const HEAD_SQL: &str = "SELECT position, hash, recorded_at FROM head WHERE id = 1";

impl StorageEngine for SqliteEngine {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn pool(&self) -> super::EnginePool<'_> {
        super::EnginePool::Sqlite(&self.pool)
    }

    fn close(&self) -> BoxFuture<'_, ()> {
        // The link readers and the commit connection first: the last connection to close
        // checkpoints and removes the WAL, and that should be the pool's.
        if let Some(readers) = &self.link_readers {
            readers.close();
        }
        Box::pin(async move {
            if let Some(commit) = &self.commit {
                commit.close().await;
            }
            super::close_pool(&self.pool).await;
        })
    }

    fn migrate(&self) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move { Ok(MIGRATOR.run(&self.pool).await?) })
    }

    fn begin_write(&self) -> BoxFuture<'_, Result<Box<dyn WriteTx>>> {
        Box::pin(async move {
            let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
            Ok(Box::new(SqliteWrite { tx }) as Box<dyn WriteTx>)
        })
    }

    fn commit_if_head(
        &self,
        expected: Head,
        events: Vec<StoredEvent>,
        views: ViewWrites,
        new_head: Head,
    ) -> Option<BoxFuture<'_, Result<bool>>> {
        // One hand-off to the commit thread for the whole group (see [`commit`]).
        self.commit
            .as_ref()?
            .commit_if_head(expected, events, views, new_head)
    }

    fn read<'a>(&'a self, query: ReadQuery<'a>) -> BoxFuture<'a, Result<Vec<StoredEvent>>> {
        Box::pin(async move { read_events(&mut *self.pool.acquire().await?, query).await })
    }

    fn read_links(
        &self,
        from: Position,
        to: Position,
    ) -> Option<BoxFuture<'static, Result<LinkPage>>> {
        let readers = self.link_readers.clone()?;
        Some(on_blocking_thread(move || readers.read(from, to)))
    }

    fn reads_blocking(&self) -> bool {
        self.link_readers.is_some()
    }

    fn read_range_blocking(
        &self,
        from: Position,
        to: Position,
    ) -> Option<Result<Vec<StoredEvent>>> {
        let readers = self.link_readers.as_ref()?;
        readers
            .with(|connection| events_on(connection, from, to))
            .transpose()
    }

    fn replay_rows(
        &self,
        range: (Position, Position),
        categories: &[String],
        event_types: &[String],
        sink: &Arc<Mutex<dyn RowSink>>,
    ) -> Option<Result<RowsEnd>> {
        let readers = self.link_readers.as_ref()?;
        Some(if categories.is_empty() && event_types.is_empty() {
            readers.with_reader(|reader| replay_all_rows_on(reader, range, sink))
        } else {
            readers
                .with(|connection| replay_rows_on(connection, range, categories, event_types, sink))
        })
    }

    fn read_heads(
        &self,
        sql: &str,
        binds: &[Bind],
    ) -> Option<BoxFuture<'static, Result<Vec<super::HeadRow>>>> {
        let readers = self.link_readers.clone()?;
        let (sql, binds) = (sql.to_owned(), binds.to_vec());
        Some(on_blocking_thread(move || {
            readers.with(|connection| heads_on(connection, &sql, &binds))
        }))
    }

    fn read_versions(
        &self,
        sql: &str,
        binds: &[Bind],
    ) -> Option<BoxFuture<'static, Result<Vec<super::VersionRow>>>> {
        let readers = self.link_readers.clone()?;
        let (sql, binds) = (sql.to_owned(), binds.to_vec());
        Some(on_blocking_thread(move || {
            readers.with(|connection| {
                rows_on(connection, &sql, &binds, |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                    ))
                })
            })
        }))
    }

    fn head(&self) -> BoxFuture<'_, Result<Head>> {
        Box::pin(async move { decode_head(&sqlx::query(HEAD_SQL).fetch_one(&self.pool).await?) })
    }

    fn position_at(&self, micros: i64) -> BoxFuture<'_, Result<Position>> {
        Box::pin(async move {
            let position: Option<i64> = sqlx::query_scalar(&super::position_at_sql("?"))
                .bind(micros)
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
                "SELECT MAX(version) FROM events WHERE stream = ? AND position <= ?",
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
                 VALUES (?, ?, ?, ?, ?) \
                 ON CONFLICT (stream, schema_tag) DO UPDATE SET version = excluded.version, \
                 state = excluded.state, taken_at = excluded.taken_at \
                 WHERE excluded.version >= snapshots.version",
            )
            .bind(snapshot.stream.as_str())
            .bind(&snapshot.schema_tag)
            .bind(to_i64(snapshot.version))
            .bind(snapshot.state.to_string())
            .bind(chrono::Utc::now().timestamp_micros())
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
                "SELECT version, state FROM snapshots WHERE stream = ? AND schema_tag = ?",
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
                None => sqlx::query_as::<_, ViewColumns>(CURRENT_VIEW_SQL)
                    .bind(model)
                    .bind(key),
                Some(at) => sqlx::query_as::<_, ViewColumns>(VIEW_AT_SQL)
                    .bind(model)
                    .bind(key)
                    .bind(to_i64(at))
                    .bind(to_i64(at)),
            };
            query
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
            let list = list_sql(query, placeholder, "instr")?;
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
        // SQLite cannot announce commits of other processes on the same file: poll the head.
        let pool = self.pool.clone();
        Some(Box::pin(async move {
            let mut tick = tokio::time::interval(REMOTE_POLL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            while !sender.is_closed() {
                tick.tick().await;
                let head: Result<i64, _> =
                    sqlx::query_scalar("SELECT position FROM head WHERE id = 1")
                        .fetch_one(&pool)
                        .await;
                // Before migration there is no head table yet: nothing to announce.
                if let Ok(position) = head.map(|p| u64::try_from(p).unwrap_or(0)) {
                    super::announce_head(&sender, position);
                }
            }
        }))
    }
}

struct SqliteWrite {
    tx: Transaction<'static, Sqlite>,
}

impl WriteTx for SqliteWrite {
    fn lock_head(&mut self) -> BoxFuture<'_, Result<Head>> {
        // BEGIN IMMEDIATE already holds the database's write lock.
        Box::pin(async move { decode_head(&sqlx::query(HEAD_SQL).fetch_one(&mut *self.tx).await?) })
    }

    fn stream_versions<'a>(
        &'a mut self,
        streams: &'a [&'a str],
    ) -> BoxFuture<'a, Result<HashMap<String, u64>>> {
        Box::pin(async move {
            let mut versions = HashMap::with_capacity(streams.len());
            for chunk in streams.chunks(500) {
                let mut qb = sqlx::QueryBuilder::<Sqlite>::new(
                    "SELECT stream, MAX(version) FROM events WHERE stream IN (",
                );
                let mut list = qb.separated(", ");
                for stream in chunk {
                    list.push_bind(*stream);
                }
                qb.push(") GROUP BY stream");
                for row in qb.build().fetch_all(&mut *self.tx).await? {
                    versions.insert(row.try_get(0)?, to_u64(row.try_get(1)?, 0, "version")?);
                }
            }
            Ok(versions)
        })
    }

    fn find_events<'a>(&'a mut self, ids: &'a [Uuid]) -> BoxFuture<'a, Result<Vec<StoredEvent>>> {
        Box::pin(async move {
            let mut found = Vec::new();
            for chunk in ids.chunks(500) {
                let mut qb = sqlx::QueryBuilder::<Sqlite>::new(format!(
                    "SELECT {EVENT_COLUMNS} FROM events WHERE event_id IN ("
                ));
                let mut list = qb.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                qb.push(")");
                for row in qb.build().fetch_all(&mut *self.tx).await? {
                    found.push(decode(&row)?);
                }
            }
            Ok(found)
        })
    }

    fn insert<'a>(
        &'a mut self,
        events: &'a [StoredEvent],
        head: Head,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            for chunk in events.chunks(INSERT_CHUNK) {
                let mut qb = sqlx::QueryBuilder::<Sqlite>::new(
                    "INSERT INTO events (position, stream, category, version, event_id, \
                     event_type, schema_version, recorded_at, effective, payload, actor_id, \
                     actor_role, organisation, reason, correlation_id, causation_id, \
                     idempotency_key, hash) ",
                );
                qb.push_values(chunk, |mut b, e| {
                    b.push_bind(to_i64(e.position))
                        .push_bind(e.stream.as_str())
                        .push_bind(e.category())
                        .push_bind(to_i64(e.version))
                        .push_bind(e.event_id)
                        .push_bind(e.event_type.as_str())
                        .push_bind(i64::from(e.schema_version))
                        .push_bind(e.recorded_at_micros)
                        .push_bind(e.effective.as_deref())
                        .push_bind(e.payload.as_str())
                        .push_bind(e.actor_id.as_str())
                        .push_bind(e.actor_role.as_str())
                        .push_bind(e.organisation.as_str())
                        .push_bind(e.reason.as_deref())
                        .push_bind(e.correlation_id)
                        .push_bind(e.causation_id)
                        .push_bind(e.idempotency_key.as_deref())
                        .push_bind(&e.hash[..]);
                });
                qb.build().persistent(true).execute(&mut *self.tx).await?;
            }
            sqlx::query("UPDATE head SET position = ?, hash = ?, recorded_at = ? WHERE id = 1")
                .bind(to_i64(head.position))
                .bind(&head.hash[..])
                .bind(head.recorded_at_micros)
                .execute(&mut *self.tx)
                .await?;
            Ok(())
        })
    }

    fn read<'a>(&'a mut self, query: ReadQuery<'a>) -> BoxFuture<'a, Result<Vec<StoredEvent>>> {
        Box::pin(read_events(&mut self.tx, query))
    }

    fn write_views<'a>(&'a mut self, views: &'a ViewWrites) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            // Close first: a key's new current row must not meet its old one in the unique index.
            for chunk in views.close.chunks(INSERT_CHUNK) {
                let mut qb = sqlx::QueryBuilder::<Sqlite>::new("WITH c(model, key, at) AS (");
                qb.push_values(chunk, |mut b, c| {
                    b.push_bind(c.model.as_str())
                        .push_bind(c.key.as_str())
                        .push_bind(to_i64(c.at));
                });
                qb.push(
                    ") UPDATE read_models SET valid_to = c.at FROM c \
                     WHERE read_models.model = c.model AND read_models.key = c.key \
                     AND read_models.valid_to IS NULL",
                );
                qb.build().execute(&mut *self.tx).await?;
            }
            for chunk in views.insert.chunks(INSERT_CHUNK) {
                let mut qb = sqlx::QueryBuilder::<Sqlite>::new(format!(
                    "INSERT INTO read_models ({VIEW_COLUMNS}) "
                ));
                qb.push_values(chunk, |mut b, r| {
                    b.push_bind(r.model.as_str())
                        .push_bind(r.key.as_str())
                        .push_bind(to_i64(r.version))
                        .push_bind(to_i64(r.valid_from))
                        .push_bind(r.valid_to.map(to_i64))
                        .push_bind(r.region.as_str())
                        .push_bind(r.kind.as_str())
                        .push_bind(r.status.as_str())
                        .push_bind(r.task.as_deref())
                        .push_bind(r.tags.as_str())
                        .push_bind(r.search.as_str())
                        .push_bind(r.sort_name.as_str())
                        .push_bind(r.doc.as_str());
                });
                qb.build().execute(&mut *self.tx).await?;
            }
            Ok(())
        })
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

const CURRENT_VIEW_SQL: &str = "SELECT model, key, version, valid_from, valid_to, region, kind, \
    status, task, tags, search, sort_name, doc FROM read_models \
    WHERE model = ? AND key = ? AND valid_to IS NULL";

const VIEW_AT_SQL: &str = "SELECT model, key, version, valid_from, valid_to, region, kind, \
    status, task, tags, search, sort_name, doc FROM read_models \
    WHERE model = ? AND key = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) \
    ORDER BY valid_from DESC LIMIT 1";

async fn read_events(
    conn: &mut SqliteConnection,
    query: ReadQuery<'_>,
) -> Result<Vec<StoredEvent>> {
    // A page comes back as ONE row holding a JSON array of rows: sqlx-sqlite hands rows one by one
    // from its worker thread, and that hand-off, not SQLite, is the cost of a read.
    let (inner, binds) = read_sql(&query, placeholder);
    let sql = format!(
        "SELECT json_group_array(json_array(position, stream, version, hex(event_id), \
         event_type, schema_version, recorded_at, effective, payload, actor_id, actor_role, \
         organisation, reason, hex(correlation_id), hex(causation_id), idempotency_key, \
         hex(hash)) ORDER BY {}) FROM ({inner})",
        order_by(&query)
    );
    let mut packed = sqlx::query_scalar::<_, String>(&sql);
    let mut plain = sqlx::query(&inner);
    for bind in binds {
        (packed, plain) = match bind {
            Bind::Int(i) => (packed.bind(i), plain.bind(i)),
            Bind::Text(s) => (packed.bind(s.clone()), plain.bind(s)),
            Bind::Uuid(u) => (packed.bind(u), plain.bind(u)),
        };
    }
    match packed.fetch_one(&mut *conn).await {
        Ok(page) => decode_page(&page),
        // A page of huge payloads can exceed SQLite's string limit: read it row by row.
        Err(sqlx::Error::Database(e)) if e.message().contains("too big") => plain
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(decode)
            .collect(),
        Err(e) => Err(e.into()),
    }
}

// ----- link pages: blocking reads with rusqlite ------------------------------------------------
//
// sqlx-sqlite hands rows one at a time from its connection thread, copying every column; at
// ~10 µs a row that, not SQLite, bounds verification. `read_links` instead reads the rows on a
// blocking thread through rusqlite (the same SQLite library: rusqlite links the
// `libsqlite3-sys` that sqlx-sqlite builds), borrows each column from SQLite's row buffer, hashes
// it there and keeps only a `Link`.

/// Read-only rusqlite connections to the database file, reused between pages.
struct LinkReaders {
    file: PathBuf,
    idle: Mutex<Vec<Reader>>,
    /// Set by [`StorageEngine::close`]: connections are then closed after use, not kept.
    closed: AtomicBool,
}

impl std::fmt::Debug for LinkReaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkReaders")
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

const LINKS_SQL: &str = "SELECT position, stream, version, event_id, event_type, schema_version, \
    recorded_at, effective, payload, actor_id, actor_role, organisation, reason, correlation_id, \
    causation_id, idempotency_key, hash FROM events WHERE position >= ?1 AND position <= ?2 \
    ORDER BY position";

/// A rusqlite failure as the store reports database failures.
fn rusqlite_error(error: rusqlite::Error) -> StoreError {
    StoreError::Database(sqlx::Error::Io(std::io::Error::other(error)))
}

/// A read-only connection of [`LinkReaders`] with the aggregates [`ChainLinks`] and
/// [`ReplayRows`] registered on it.
struct Reader {
    connection: rusqlite::Connection,
    /// Where [`ChainLinks`] takes the range it reads and leaves the page it built.
    links: Arc<Mutex<LinkSlot>>,
    /// Where [`ReplayRows`] takes its sink and leaves how its statement ended.
    replay: Arc<Mutex<ReplaySlot>>,
}

impl LinkReaders {
    fn reader(&self) -> Result<Reader> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        if let Some(reader) = idle {
            return Ok(reader);
        }
        use rusqlite::OpenFlags;
        let connection = rusqlite::Connection::open_with_flags(
            &self.file,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(rusqlite_error)?;
        connection
            .busy_timeout(Duration::from_secs(30))
            .map_err(rusqlite_error)?;
        // Read pages through a memory map rather than copying them into the page cache; SQLite
        // caps the size at its compile-time maximum (2 GiB by default).
        connection
            .pragma_update(None, "mmap_size", 1_i64 << 40)
            .map_err(rusqlite_error)?;
        let links = Arc::new(Mutex::new(LinkSlot::default()));
        connection
            .create_aggregate_function(
                CHAIN_LINKS,
                17,
                rusqlite::functions::FunctionFlags::SQLITE_UTF8
                    | rusqlite::functions::FunctionFlags::SQLITE_DIRECTONLY,
                ChainLinks {
                    slot: links.clone(),
                },
            )
            .map_err(rusqlite_error)?;
        let replay = Arc::new(Mutex::new(ReplaySlot::default()));
        connection
            .create_aggregate_function(
                REPLAY_ROWS,
                17,
                rusqlite::functions::FunctionFlags::SQLITE_UTF8
                    | rusqlite::functions::FunctionFlags::SQLITE_DIRECTONLY,
                ReplayRows {
                    slot: replay.clone(),
                },
            )
            .map_err(rusqlite_error)?;
        Ok(Reader {
            connection,
            links,
            replay,
        })
    }

    /// Closes the idle connections; those in use close when their read ends.
    fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }

    /// The links of positions `from..=to` (see [`StorageEngine::read_links`]).
    fn read(&self, from: Position, to: Position) -> Result<LinkPage> {
        self.with_reader(|reader| read_links_on(reader, from, to))
    }

    /// Runs `read` on an idle connection (or a new one), then keeps the connection.
    fn with<T>(
        &self,
        read: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>,
    ) -> Result<T> {
        self.with_reader(|reader| read(&reader.connection))
    }

    /// Runs `read` on an idle reader (or a new one), then keeps the reader.
    fn with_reader<T>(&self, read: impl FnOnce(&Reader) -> rusqlite::Result<T>) -> Result<T> {
        let reader = self.reader()?;
        let out = read(&reader).map_err(rusqlite_error)?;
        if !self.closed.load(Ordering::SeqCst)
            && let Ok(mut idle) = self.idle.lock()
        {
            idle.push(reader);
        }
        Ok(out)
    }
}

/// Runs a blocking read of the link readers on Tokio's blocking threads.
fn on_blocking_thread<T: Send + 'static>(
    read: impl FnOnce() -> Result<T> + Send + 'static,
) -> BoxFuture<'static, Result<T>> {
    let read = tokio::task::spawn_blocking(read);
    Box::pin(async move {
        read.await
            .map_err(|e| StoreError::Database(sqlx::Error::Io(std::io::Error::other(e))))?
    })
}

/// The rows of a heads statement (key, valid_from, version).
fn heads_on(
    connection: &rusqlite::Connection,
    sql: &str,
    binds: &[Bind],
) -> rusqlite::Result<Vec<super::HeadRow>> {
    rows_on(connection, sql, binds, |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    })
}

/// The rows of `sql` with `binds`, each mapped by `map`.
fn rows_on<T>(
    connection: &rusqlite::Connection,
    sql: &str,
    binds: &[Bind],
    map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    use rusqlite::types::Value;
    let mut statement = connection.prepare_cached(sql)?;
    let params: Vec<Value> = binds
        .iter()
        .map(|bind| match bind {
            Bind::Int(i) => Value::Integer(*i),
            Bind::Text(s) => Value::Text(s.clone()),
            // As sqlx-sqlite stores a Uuid: its 16 bytes.
            Bind::Uuid(u) => Value::Blob(u.as_bytes().to_vec()),
        })
        .collect();
    let rows = statement.query_map(rusqlite::params_from_iter(params), map)?;
    rows.collect()
}

/// The links of positions `from..=to`: one statement, `SELECT redmud_chain_links(…)` over the
/// rows, so that SQLite hands each row's columns to [`ChainLinks`] as the arguments of one call
/// rather than the row being returned and its 17 columns fetched one by one.
fn read_links_on(reader: &Reader, from: Position, to: Position) -> rusqlite::Result<LinkPage> {
    let lock = || {
        reader
            .links
            .lock()
            .map_err(|_| rusqlite::Error::InvalidQuery)
    };
    *lock()? = LinkSlot {
        from,
        to,
        page: None,
    };
    let mut statement = reader.connection.prepare_cached(CHAIN_LINKS_SQL)?;
    statement.query_row([to_i64(from.saturating_sub(1).max(1)), to_i64(to)], |_| {
        Ok(())
    })?;
    lock()?
        .page
        .take()
        .ok_or(rusqlite::Error::QueryReturnedNoRows)
}

/// The name of the aggregate [`ChainLinks`] on the link readers' connections.
const CHAIN_LINKS: &str = "redmud_chain_links";

/// [`LINKS_SQL`] with the columns handed to [`ChainLinks`], in the same order. The rows come in
/// position order (a range of the rowid); were they ever not, the positions and the chain of
/// stored hashes would not match and the links would be unsound, not wrong.
const CHAIN_LINKS_SQL: &str = "SELECT redmud_chain_links(position, stream, version, event_id, \
    event_type, schema_version, recorded_at, effective, payload, actor_id, actor_role, \
    organisation, reason, correlation_id, causation_id, idempotency_key, hash) FROM events \
    WHERE position >= ?1 AND position <= ?2";

/// The range [`ChainLinks`] reads next, and the page it built.
#[derive(Debug, Default)]
struct LinkSlot {
    from: Position,
    to: Position,
    page: Option<LinkPage>,
}

/// The aggregate `redmud_chain_links(<the 17 columns of LINKS_SQL>)`: builds the [`LinkPage`] of
/// its rows ([`LinkPageBuilder`], each row as [`link_row`] reads it) and leaves it in the slot.
struct ChainLinks {
    slot: Arc<Mutex<LinkSlot>>,
}

/// The page being built, and whether to go on (an unsound link ends the page: later rows of the
/// range are skipped).
type ChainLinksState = (LinkPageBuilder, bool);

impl ChainLinks {
    fn builder(&self) -> LinkPageBuilder {
        let (from, to) = self.slot.lock().map_or((1, 0), |slot| (slot.from, slot.to));
        let capacity = usize::try_from(to.saturating_sub(from) + 1).unwrap_or(0);
        LinkPageBuilder::new(from, capacity.min(1 << 20))
    }
}

impl rusqlite::functions::Aggregate<ChainLinksState, Option<i64>> for ChainLinks {
    fn init(&self, _: &mut rusqlite::functions::Context<'_>) -> rusqlite::Result<ChainLinksState> {
        Ok((self.builder(), true))
    }

    fn step(
        &self,
        ctx: &mut rusqlite::functions::Context<'_>,
        (page, going_on): &mut ChainLinksState,
    ) -> rusqlite::Result<()> {
        if *going_on {
            *going_on = page.row(link_fields(|i| Some(ctx.get_raw(i))));
        }
        Ok(())
    }

    fn finalize(
        &self,
        _: &mut rusqlite::functions::Context<'_>,
        state: Option<ChainLinksState>,
    ) -> rusqlite::Result<Option<i64>> {
        let page = state
            .map_or_else(|| self.builder(), |(page, _)| page)
            .finish();
        self.slot
            .lock()
            .map_err(|_| rusqlite::Error::InvalidQuery)?
            .page = Some(page);
        Ok(None)
    }
}

/// The events of positions `from..=to` as [`decode_page`] decodes them; `None` at the first row
/// that is not of the types [`link_row`] accepts (the ordinary reader then reads the page and
/// reports what it always reported).
fn events_on(
    connection: &rusqlite::Connection,
    from: Position,
    to: Position,
) -> rusqlite::Result<Option<Vec<StoredEvent>>> {
    let capacity = usize::try_from(to.saturating_sub(from) + 1).unwrap_or(0);
    let mut events = Vec::with_capacity(capacity.min(1 << 16));
    let mut statement = connection.prepare_cached(LINKS_SQL)?;
    let mut rows = statement.query([to_i64(from.max(1)), to_i64(to)])?;
    while let Some(row) = rows.next()? {
        let Some((fields, hash)) = link_row(row) else {
            return Ok(None);
        };
        events.push(StoredEvent {
            position: fields.position,
            stream: fields.stream.to_owned(),
            version: fields.version,
            event_id: *fields.event_id,
            event_type: fields.event_type.to_owned(),
            schema_version: fields.schema_version,
            recorded_at_micros: fields.recorded_at_micros,
            effective: fields.effective.map(str::to_owned),
            payload: fields.payload.to_owned(),
            actor_id: fields.actor_id.to_owned(),
            actor_role: fields.actor_role.to_owned(),
            organisation: fields.organisation.to_owned(),
            reason: fields.reason.map(str::to_owned),
            correlation_id: fields.correlation_id.copied(),
            causation_id: fields.causation_id.copied(),
            idempotency_key: fields.idempotency_key.map(str::to_owned),
            hash,
        });
    }
    Ok(Some(events))
}

/// A row's hashed fields and stored hash, borrowed from SQLite; `None` if any column is not of
/// the type [`decode`] and [`decode_page`] accept (then the slow path reads it and decides).
fn link_row<'r>(row: &'r rusqlite::Row<'_>) -> Option<(EventFields<'r>, [u8; 32])> {
    link_fields(|i| row.get_ref(i).ok())
}

/// [`link_row`] of the values `get(0..17)` (the columns of [`LINKS_SQL`] in order).
fn link_fields<'r>(
    get: impl Fn(usize) -> Option<rusqlite::types::ValueRef<'r>>,
) -> Option<(EventFields<'r>, [u8; 32])> {
    use rusqlite::types::ValueRef;
    let int = |i: usize| match get(i)? {
        ValueRef::Integer(v) => Some(v),
        _ => None,
    };
    let text = |i: usize| match get(i)? {
        ValueRef::Text(bytes) => simdutf8::basic::from_utf8(bytes).ok(),
        _ => None,
    };
    let opt_text = |i: usize| match get(i)? {
        ValueRef::Null => Some(None),
        ValueRef::Text(bytes) => simdutf8::basic::from_utf8(bytes).ok().map(Some),
        _ => None,
    };
    let uuid = |i: usize| match get(i)? {
        ValueRef::Blob(bytes) => <&[u8; 16]>::try_from(bytes).ok(),
        _ => None,
    };
    let opt_uuid = |i: usize| match get(i)? {
        ValueRef::Null => Some(None),
        ValueRef::Blob(bytes) => <&[u8; 16]>::try_from(bytes).ok().map(Some),
        _ => None,
    };
    let hash: [u8; 32] = match get(16)? {
        ValueRef::Blob(bytes) => bytes.try_into().ok()?,
        _ => return None,
    };
    let fields = EventFields {
        position: u64::try_from(int(0)?).ok()?,
        stream: text(1)?,
        version: u64::try_from(int(2)?).ok()?,
        event_id: Uuid::from_bytes_ref(uuid(3)?),
        event_type: text(4)?,
        schema_version: u32::try_from(int(5)?).ok()?,
        recorded_at_micros: int(6)?,
        effective: opt_text(7)?,
        payload: text(8)?,
        actor_id: text(9)?,
        actor_role: text(10)?,
        organisation: text(11)?,
        reason: opt_text(12)?,
        correlation_id: opt_uuid(13)?.map(Uuid::from_bytes_ref),
        causation_id: opt_uuid(14)?.map(Uuid::from_bytes_ref),
        idempotency_key: opt_text(15)?,
    };
    Some((fields, hash))
}

/// Positions a statement of [`replay_rows_on`] covers: each statement is a short read
/// transaction (a long one would keep checkpoints from restarting the write-ahead log).
const REPLAY_CHUNK: u64 = 16_384;

/// [`StorageEngine::replay_rows`] with a filter, on one connection: one statement per
/// [`REPLAY_CHUNK`] positions, each row's columns borrowed ([`link_row`]) and handed to `sink`.
fn replay_rows_on(
    connection: &rusqlite::Connection,
    (from, to): (Position, Position),
    categories: &[String],
    event_types: &[String],
    sink: &Arc<Mutex<dyn RowSink>>,
) -> rusqlite::Result<RowsEnd> {
    use rusqlite::ToSql;
    let mut sql =
        format!("SELECT {EVENT_COLUMNS} FROM events WHERE position >= ?1 AND position <= ?2");
    let mut n = 2;
    for (column, values) in [("category", categories), ("event_type", event_types)] {
        if values.is_empty() {
            continue;
        }
        sql.push_str(" AND ");
        sql.push_str(column);
        sql.push_str(" IN (");
        for i in 0..values.len() {
            n += 1;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("?{n}"));
        }
        sql.push(')');
    }
    sql.push_str(" ORDER BY position");
    let mut statement = connection.prepare_cached(&sql)?;
    let mut next = from.max(1);
    let mut lo = next;
    while lo <= to {
        let hi = lo.saturating_add(REPLAY_CHUNK - 1).min(to);
        let (lo_i, hi_i) = (to_i64(lo), to_i64(hi));
        let mut params: Vec<&dyn ToSql> = vec![&lo_i, &hi_i];
        params.extend(categories.iter().map(|c| c as &dyn ToSql));
        params.extend(event_types.iter().map(|t| t as &dyn ToSql));
        let mut rows = statement.query(params.as_slice())?;
        while let Some(row) = rows.next()? {
            let Some((fields, hash)) = link_row(row) else {
                return Ok(RowsEnd::Undecodable { next });
            };
            next = fields.position.saturating_add(1);
            if !hand_over(sink, fields, &hash) {
                return Ok(RowsEnd::Stopped);
            }
        }
        lo = hi.saturating_add(1);
    }
    Ok(RowsEnd::Done)
}

/// Hands one row to the sink; `false` (stop) if the sink says so or a panic poisoned it.
fn hand_over(sink: &Mutex<dyn RowSink>, fields: EventFields<'_>, hash: &[u8; 32]) -> bool {
    sink.lock().is_ok_and(|mut sink| sink.row(fields, hash))
}

/// [`StorageEngine::replay_rows`] of every row (no filter): one statement per [`REPLAY_CHUNK`]
/// positions, `SELECT redmud_replay_rows(…)`, so that SQLite hands each row's columns to
/// [`ReplayRows`] as the arguments of one call (as verification's [`ChainLinks`] reads them)
/// instead of the row being returned and its 17 columns fetched one by one.
fn replay_all_rows_on(
    reader: &Reader,
    (from, to): (Position, Position),
    sink: &Arc<Mutex<dyn RowSink>>,
) -> rusqlite::Result<RowsEnd> {
    let slot = || {
        reader
            .replay
            .lock()
            .map_err(|_| rusqlite::Error::InvalidQuery)
    };
    let read = || {
        let mut statement = reader.connection.prepare_cached(REPLAY_ROWS_SQL)?;
        let mut lo = from.max(1);
        while lo <= to {
            let hi = lo.saturating_add(REPLAY_CHUNK - 1).min(to);
            *slot()? = ReplaySlot {
                sink: Some(sink.clone()),
                next: lo,
                end: None,
            };
            statement.query_row([to_i64(lo), to_i64(hi)], |_| Ok(()))?;
            if let Some(end) = slot()?.end.take() {
                return Ok(end);
            }
            lo = hi.saturating_add(1);
        }
        Ok(RowsEnd::Done)
    };
    let ended = read();
    // Let go of the sink however the statement ended: the caller takes it back.
    *slot()? = ReplaySlot::default();
    ended
}

/// The name of the aggregate [`ReplayRows`] on the link readers' connections.
const REPLAY_ROWS: &str = "redmud_replay_rows";

/// [`CHAIN_LINKS_SQL`] handing the rows to [`ReplayRows`]: a range of the rowid, so the rows
/// come in position order ([`ReplayRows`] checks that they do).
const REPLAY_ROWS_SQL: &str = "SELECT redmud_replay_rows(position, stream, version, event_id, \
    event_type, schema_version, recorded_at, effective, payload, actor_id, actor_role, \
    organisation, reason, correlation_id, causation_id, idempotency_key, hash) FROM events \
    WHERE position >= ?1 AND position <= ?2";

/// The sink [`ReplayRows`] hands rows to in its next statement, and how that statement ended.
#[derive(Default)]
struct ReplaySlot {
    sink: Option<Arc<Mutex<dyn RowSink>>>,
    /// The first position of the statement's range; after it, the first not handed over.
    next: Position,
    /// `Some`: the statement ended before the end of its range.
    end: Option<RowsEnd>,
}

/// The aggregate `redmud_replay_rows(<the 17 columns of LINKS_SQL>)`: hands each row, borrowed
/// ([`link_fields`]), to the sink in its [`ReplaySlot`]. A row it does not decode, or one out of
/// position order, ends the hand-over with [`RowsEnd::Undecodable`]; a sink that says stop, with
/// [`RowsEnd::Stopped`]. Later rows of the statement are then skipped.
struct ReplayRows {
    slot: Arc<Mutex<ReplaySlot>>,
}

/// One statement's sink, the first position not yet handed over, and how it ended if it did.
type ReplayRowsState = (Option<Arc<Mutex<dyn RowSink>>>, Position, Option<RowsEnd>);

impl rusqlite::functions::Aggregate<ReplayRowsState, Option<i64>> for ReplayRows {
    fn init(&self, _: &mut rusqlite::functions::Context<'_>) -> rusqlite::Result<ReplayRowsState> {
        let slot = self
            .slot
            .lock()
            .map_err(|_| rusqlite::Error::InvalidQuery)?;
        Ok((slot.sink.clone(), slot.next, None))
    }

    fn step(
        &self,
        ctx: &mut rusqlite::functions::Context<'_>,
        (sink, next, end): &mut ReplayRowsState,
    ) -> rusqlite::Result<()> {
        if end.is_some() {
            return Ok(());
        }
        let Some(sink) = sink else {
            *end = Some(RowsEnd::Stopped);
            return Ok(());
        };
        match link_fields(|i| Some(ctx.get_raw(i))) {
            Some((fields, hash)) if fields.position >= *next => {
                let position = fields.position;
                if !hand_over(sink, fields, &hash) {
                    *end = Some(RowsEnd::Stopped);
                }
                *next = position.saturating_add(1);
            }
            _ => *end = Some(RowsEnd::Undecodable { next: *next }),
        }
        Ok(())
    }

    fn finalize(
        &self,
        _: &mut rusqlite::functions::Context<'_>,
        state: Option<ReplayRowsState>,
    ) -> rusqlite::Result<Option<i64>> {
        if let Some((_, next, end)) = state {
            let mut slot = self
                .slot
                .lock()
                .map_err(|_| rusqlite::Error::InvalidQuery)?;
            slot.next = next;
            slot.end = end;
        }
        Ok(None)
    }
}
