//! The raw sqlx baseline: plain INSERTs into a plain table (`bench_raw`, from this crate's migration
//! files), with the same durability settings as the store; and two floors, written by the same
//! plain INSERTs: the log's schema (`bench_raw_log`, shaped like `events`) and the least schema
//! that keeps issue 2's envelope (`bench_raw_min`).

use std::str::FromStr;
use std::time::Duration;

use anyhow::Result;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which floor table a `raw-*-log` or `raw-*-min` line writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Floor {
    /// `bench_raw_log`: the columns and indexes of `events`, and the head row moved.
    Log,
    /// `bench_raw_min`: the columns of `events`, unique event ids and stream versions, no head.
    Min,
}

impl Floor {
    fn table(self) -> &'static str {
        match self {
            Self::Log => "bench_raw_log",
            Self::Min => "bench_raw_min",
        }
    }
}

/// A database holding `bench_raw` and the floor tables.
#[derive(Debug, Clone)]
pub enum RawDb {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl RawDb {
    /// Connects (SQLite: WAL + synchronous=FULL; PostgreSQL: synchronous_commit=on) and migrates.
    pub async fn open(url: &str, max_connections: u32) -> Result<Self> {
        let db = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(30));
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .connect_with(options)
                .await?;
            SQLITE_MIGRATOR.run(&pool).await?;
            Self::Sqlite(pool)
        } else {
            let options = PgConnectOptions::from_str(url)?.options([("synchronous_commit", "on")]);
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .connect_with(options)
                .await?;
            POSTGRES_MIGRATOR.run(&pool).await?;
            Self::Postgres(pool)
        };
        Ok(db)
    }

    /// One row, one (autocommit) transaction, one fsync.
    pub async fn insert_one(&self, stream: &str, version: i64, payload: &str) -> Result<()> {
        match self {
            Self::Sqlite(pool) => {
                sqlx::query("INSERT INTO bench_raw (stream, version, payload) VALUES (?, ?, ?)")
                    .bind(stream)
                    .bind(version)
                    .bind(payload)
                    .execute(pool)
                    .await?;
            }
            Self::Postgres(pool) => {
                sqlx::query("INSERT INTO bench_raw (stream, version, payload) VALUES ($1, $2, $3)")
                    .bind(stream)
                    .bind(version)
                    .bind(payload)
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// One row of a floor table (and, for [`Floor::Log`], the head moved) by one autocommitted
    /// statement: one transaction, one fsync.
    pub async fn insert_log_row(
        &self,
        floor: Floor,
        position: i64,
        stream: &str,
        version: i64,
        payload: &str,
    ) -> Result<()> {
        let event_id = uuid::Uuid::now_v7();
        let recorded_at = sqlx::types::chrono::Utc::now();
        let hash = [7u8; 32];
        match self {
            Self::Sqlite(pool) => {
                // `bench_raw_log`'s head moves by trigger (`bench_raw_log_moves_head`, for
                // schema version 1).
                let sql = format!(
                    "INSERT INTO {} (position, stream, category, version, event_id, \
                     event_type, schema_version, recorded_at, payload, actor_id, actor_role, \
                     organisation, hash) \
                     VALUES (?, ?, 'counter', ?, ?, 'Counted', 1, ?, ?, 'bench', 'bench', \
                     '520100', ?)",
                    floor.table()
                );
                sqlx::query(&sql)
                    .bind(position)
                    .bind(stream)
                    .bind(version)
                    .bind(&event_id.as_bytes()[..])
                    .bind(recorded_at.timestamp_micros())
                    .bind(payload)
                    .bind(&hash[..])
                    .execute(pool)
                    .await?;
            }
            Self::Postgres(pool) => {
                const COLUMNS: &str = "(position, stream, category, version, event_id, \
                     event_type, schema_version, recorded_at, payload, actor_id, actor_role, \
                     organisation, hash)";
                const VALUES: &str = "$1, $2, 'counter', $3, $4, 'Counted', 1, $5, $6, 'bench', 'bench', '520100', $7";
                let sql = match floor {
                    Floor::Log => format!(
                        "WITH moved AS (UPDATE bench_raw_log_head SET position = $1, hash = $7, \
                         recorded_at = $5 WHERE id = 1 RETURNING 1) \
                         INSERT INTO bench_raw_log {COLUMNS} SELECT {VALUES} FROM moved"
                    ),
                    Floor::Min => format!("INSERT INTO bench_raw_min {COLUMNS} VALUES ({VALUES})"),
                };
                sqlx::query(&sql)
                    .bind(position)
                    .bind(stream)
                    .bind(version)
                    .bind(event_id)
                    .bind(recorded_at)
                    .bind(payload)
                    .bind(&hash[..])
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// `rows` of a floor table as multi-row INSERTs (and, for [`Floor::Log`], the head moved
    /// once), in one transaction: a floor under `bulk`. `first` is the first row's position. The
    /// rows say schema version 2, for which SQLite's trigger does not move the head row by row.
    pub async fn insert_many_log(
        &self,
        floor: Floor,
        first: i64,
        rows: &[(String, i64, String)],
    ) -> Result<()> {
        let head = format!(
            "INSERT INTO {} (position, stream, category, version, event_id, event_type, \
             schema_version, recorded_at, payload, actor_id, actor_role, organisation, hash) ",
            floor.table()
        );
        let micros = sqlx::types::chrono::Utc::now().timestamp_micros();
        let hash = [7u8; 32];
        let last = first + i64::try_from(rows.len()).unwrap_or(i64::MAX) - 1;
        // 7 parameters a row: 1,000 rows stay below both engines' parameter limits.
        let chunks = rows.chunks(1_000).scan(first, |at, chunk| {
            let start = *at;
            *at += i64::try_from(chunk.len()).unwrap_or(i64::MAX);
            Some((start, chunk))
        });
        match self {
            Self::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                for (start, chunk) in chunks {
                    let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(&head);
                    qb.push_values(chunk.iter().zip(start..), |mut b, ((s, v, p), position)| {
                        b.push_bind(position)
                            .push_bind(s.as_str())
                            .push("'counter'")
                            .push_bind(*v)
                            .push_bind(uuid::Uuid::now_v7().as_bytes().to_vec())
                            .push("'Counted', 2")
                            .push_bind(micros)
                            .push_bind(p.as_str())
                            .push("'bench', 'bench', '520100'")
                            .push_bind(&hash[..]);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                if floor == Floor::Log {
                    sqlx::query(
                        "UPDATE bench_raw_log_head SET position = ?, hash = ?, recorded_at = ? \
                         WHERE id = 1",
                    )
                    .bind(last)
                    .bind(&hash[..])
                    .bind(micros)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
            }
            Self::Postgres(pool) => {
                let at = sqlx::types::chrono::Utc::now();
                let mut tx = pool.begin().await?;
                for (start, chunk) in chunks {
                    let mut qb = sqlx::QueryBuilder::<sqlx::Postgres>::new(&head);
                    qb.push_values(chunk.iter().zip(start..), |mut b, ((s, v, p), position)| {
                        b.push_bind(position)
                            .push_bind(s.as_str())
                            .push("'counter'")
                            .push_bind(*v)
                            .push_bind(uuid::Uuid::now_v7())
                            .push("'Counted', 2")
                            .push_bind(at)
                            .push_bind(p.as_str())
                            .push("'bench', 'bench', '520100'")
                            .push_bind(&hash[..]);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                if floor == Floor::Log {
                    sqlx::query(
                        "UPDATE bench_raw_log_head SET position = $1, hash = $2, \
                         recorded_at = $3 WHERE id = 1",
                    )
                    .bind(last)
                    .bind(&hash[..])
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }

    /// Many rows in one multi-row INSERT, one transaction.
    pub async fn insert_many(&self, rows: &[(String, i64, String)]) -> Result<()> {
        const HEAD: &str = "INSERT INTO bench_raw (stream, version, payload) ";
        match self {
            Self::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                // 3 parameters a row: stay below SQLite's 32,766.
                for chunk in rows.chunks(10_000) {
                    let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(HEAD);
                    qb.push_values(chunk, |mut b, (s, v, p)| {
                        b.push_bind(s.as_str()).push_bind(*v).push_bind(p.as_str());
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
            Self::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                // 3 parameters a row: stay below PostgreSQL's 65,535.
                for chunk in rows.chunks(20_000) {
                    let mut qb = sqlx::QueryBuilder::<sqlx::Postgres>::new(HEAD);
                    qb.push_values(chunk, |mut b, (s, v, p)| {
                        b.push_bind(s.as_str()).push_bind(*v).push_bind(p.as_str());
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }

    pub async fn count(&self) -> Result<i64> {
        Ok(match self {
            Self::Sqlite(pool) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM bench_raw")
                    .fetch_one(pool)
                    .await?
            }
            Self::Postgres(pool) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM bench_raw")
                    .fetch_one(pool)
                    .await?
            }
        })
    }

    pub async fn close(&self) {
        match self {
            Self::Sqlite(pool) => pool.close().await,
            Self::Postgres(pool) => pool.close().await,
        }
    }
}
