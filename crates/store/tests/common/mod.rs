//! Test harness: a fresh database per test on either engine.

#![allow(dead_code)]

use redmud_store::{EventStore, Metadata, NewEvent, StoreOptions, StreamId};
use serde_json::json;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A fresh, migrated database. The SQLite file is removed on drop; PostgreSQL test databases live
/// in the test server (the throwaway server of `scripts/test` is deleted afterwards).
#[derive(Debug)]
pub struct TestDb {
    pub engine: Engine,
    pub url: String,
    file: Option<std::path::PathBuf>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(file) = &self.file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
        if self.engine == Engine::Postgres
            && let Some((_, name)) = self.url.rsplit_once('/')
        {
            // Drop the database from a thread of its own: Drop cannot await.
            let name = name.to_owned();
            let database = name.clone();
            let dropped = std::thread::spawn(move || {
                use sqlx::Connection;
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime
                    .block_on(async {
                        let mut conn = sqlx::PgConnection::connect(&postgres_admin_url()).await?;
                        sqlx::query(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                            .execute(&mut conn)
                            .await?;
                        Ok::<_, sqlx::Error>(())
                    })
                    .map_err(std::io::Error::other)
            })
            .join();
            if !matches!(dropped, Ok(Ok(()))) {
                eprintln!("could not drop test database {name}: {dropped:?}");
            }
        }
    }
}

/// The PostgreSQL server for tests. Missing is a failure, never a skip.
pub fn postgres_admin_url() -> String {
    std::env::var("REDMUD_TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "REDMUD_TEST_DATABASE_URL is not set: PostgreSQL tests need a server \
             (run scripts/test, which starts a throwaway one)"
        )
    })
}

impl TestDb {
    pub async fn new(engine: Engine) -> Self {
        let name = format!("redmud_test_{}", Uuid::now_v7().simple());
        match engine {
            Engine::Sqlite => {
                let file = std::env::temp_dir().join(format!("{name}.db"));
                Self {
                    engine,
                    url: format!("sqlite:{}", file.display()),
                    file: Some(file),
                }
            }
            Engine::Postgres => {
                use sqlx::Connection;
                let admin = postgres_admin_url();
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("cannot reach PostgreSQL at REDMUD_TEST_DATABASE_URL: {e}")
                    });
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                let url = match admin.rsplit_once('/') {
                    Some((server, _)) => format!("{server}/{name}"),
                    None => panic!("REDMUD_TEST_DATABASE_URL has no database part"),
                };
                Self {
                    engine,
                    url,
                    file: None,
                }
            }
        }
    }

    /// A migrated store with its own pool and writer (like a separate process).
    pub async fn store(&self) -> EventStore {
        self.store_with(StoreOptions::default()).await
    }

    pub async fn store_with(&self, options: StoreOptions) -> EventStore {
        let store = EventStore::connect_with(&self.url, options)
            .await
            .expect("connect");
        store.migrate().await.expect("migrate");
        store
    }

    /// Runs raw SQL as an attacker with database access would (triggers dropped first).
    pub async fn tamper(&self, statements: &[&str]) {
        use sqlx::Connection;
        match self.engine {
            Engine::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url)
                    .await
                    .expect("connect");
                sqlx::query("DROP TRIGGER IF EXISTS events_are_immutable")
                    .execute(&mut conn)
                    .await
                    .expect("drop");
                sqlx::query("DROP TRIGGER IF EXISTS events_are_never_deleted")
                    .execute(&mut conn)
                    .await
                    .expect("drop");
                for sql in statements {
                    sqlx::query(sql)
                        .execute(&mut conn)
                        .await
                        .unwrap_or_else(|e| panic!("{sql}: {e}"));
                }
            }
            Engine::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&self.url)
                    .await
                    .expect("connect");
                sqlx::query("DROP TRIGGER IF EXISTS events_are_immutable ON events")
                    .execute(&mut conn)
                    .await
                    .expect("drop");
                for sql in statements {
                    sqlx::query(sql)
                        .execute(&mut conn)
                        .await
                        .unwrap_or_else(|e| panic!("{sql}: {e}"));
                }
            }
        }
    }
}

pub fn meta() -> Metadata {
    Metadata::actor("guiyang-clerk", "bureau", "520100")
}

pub fn event(kind: &str, n: i64) -> NewEvent {
    NewEvent::new(kind, json!({ "n": n, "note": "赤泥" }), meta())
}

pub fn stream(category: &str) -> StreamId {
    StreamId::for_aggregate(category, Uuid::now_v7()).expect("stream name")
}

/// Instantiates each listed async test once per engine.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$name($crate::common::Engine::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$name($crate::common::Engine::Postgres).await
                }
            )*
        }
    };
}
