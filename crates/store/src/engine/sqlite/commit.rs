//! The SQLite engine's commit connection: one rusqlite connection, owned by a thread of its own,
//! that runs a whole optimistic group commit ([`StorageEngine::commit_if_head`]) as ONE unit of
//! work.
//!
//! Through sqlx-sqlite every statement is a hand-off to that connection's worker thread and back
//! (a channel send, a thread wake-up, the answer, another wake-up). The locked path of a group
//! commit takes eight (begin, head, event-id check, insert events, move the head, close and insert
//! read-model rows, commit); at 2,000 commands/s on two cores those wake-ups, not SQLite, were
//! most of a command's cost (`docs/benchmarks.md`, issue 4). Here the store's writer task hands
//! the group's rows over once; the thread locks the database, checks the head, runs every
//! statement from its cache of prepared statements, commits and answers once.
//!
//! An event id already in the log (an idempotent retry) or a stream version already taken makes
//! the insert meet a UNIQUE constraint: the unit rolls back and answers `false`, and the writer
//! decides that group again on the locked path, which looks the ids up. So the event-id lookup
//! costs nothing unless an id is really used again.
//!
//! [`StorageEngine::commit_if_head`]: crate::engine::StorageEngine::commit_if_head

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior, params};
use tokio::sync::oneshot;

use super::{HEAD_SQL, rusqlite_error};
use crate::engine::{BoxFuture, Head, StoredEvent, to_hash, to_i64, to_u64};
use crate::error::{Result, StoreError};
use crate::views::ViewWrites;

/// What the thread is asked to do.
enum Job {
    /// An optimistic group commit; the answer as [`commit_if_head`] gives it.
    Commit {
        expected: Head,
        events: Vec<StoredEvent>,
        views: ViewWrites,
        new_head: Head,
        reply: oneshot::Sender<Result<bool>>,
    },
    /// Checkpoint the write-ahead log (`PRAGMA wal_checkpoint(PASSIVE)`) between two commits.
    Checkpoint(oneshot::Sender<Result<()>>),
    /// Close the connection, then answer and end the thread.
    Close(oneshot::Sender<()>),
}

/// The handle of the commit thread. Dropping the last handle ends the thread (and closes its
/// connection) once the jobs sent before have run.
pub(super) struct CommitConnection {
    jobs: mpsc::Sender<Job>,
    /// Set by [`CommitConnection::close`]: commits then fall back to the engine's pool (which
    /// is closed too, so they fail like every other write after close).
    closed: AtomicBool,
}

impl std::fmt::Debug for CommitConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommitConnection")
            .field("closed", &self.closed.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// The thread is gone (it panicked, or the engine was closed): the commit did not run.
fn stopped() -> StoreError {
    StoreError::Database(sqlx::Error::PoolClosed)
}

impl CommitConnection {
    /// Opens a read-write connection to the (already created and migrated or migrating) database
    /// file and starts its thread.
    pub(super) fn open(file: &Path) -> Result<Self> {
        let connection = open(file).map_err(rusqlite_error)?;
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-commit".into())
            .spawn(move || serve(connection, &queue))
            .map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
        Ok(Self {
            jobs,
            closed: AtomicBool::new(false),
        })
    }

    /// The optimistic commit of [`crate::engine::StorageEngine::commit_if_head`] on the commit
    /// thread; `None` once the connection is closed.
    pub(super) fn commit_if_head(
        &self,
        expected: Head,
        events: Vec<StoredEvent>,
        views: ViewWrites,
        new_head: Head,
    ) -> Option<BoxFuture<'static, Result<bool>>> {
        if self.closed.load(Ordering::Acquire) {
            return None;
        }
        let (reply, answer) = oneshot::channel();
        let sent = self.jobs.send(Job::Commit {
            expected,
            events,
            views,
            new_head,
            reply,
        });
        Some(Box::pin(async move {
            sent.map_err(|_| stopped())?;
            answer.await.map_err(|_| stopped())?
        }))
    }

    /// Checkpoints the write-ahead log on the commit thread, between two commits (see
    /// [`checkpoint`]); `None` once the connection is closed.
    pub(super) fn checkpoint(&self) -> Option<BoxFuture<'static, Result<()>>> {
        if self.closed.load(Ordering::Acquire) {
            return None;
        }
        let (reply, answer) = oneshot::channel();
        let sent = self.jobs.send(Job::Checkpoint(reply));
        Some(Box::pin(async move {
            sent.map_err(|_| stopped())?;
            answer.await.map_err(|_| stopped())?
        }))
    }

    /// Closes the connection (after the commits already sent) and waits until it is closed, so
    /// that the engine's pool holds the last connection to the file.
    pub(super) async fn close(&self) {
        if self.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        let (reply, closed) = oneshot::channel();
        if self.jobs.send(Job::Close(reply)).is_ok() {
            let _ = closed.await;
        }
    }
}

fn open(file: &Path) -> rusqlite::Result<Connection> {
    let connection = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.busy_timeout(Duration::from_secs(30))?;
    // The same settings as the pool's connections (`SqliteEngine::connect`): durable commits,
    // and no checkpoint inside a commit (the engine checkpoints beside the writers).
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "FULL")?;
    connection.pragma_update(None, "foreign_keys", true)?;
    connection.pragma_update(None, "wal_autocheckpoint", 0)?;
    // One connection: SQLite's default page cache (2 MB) for the indexes every commit touches.
    connection.pragma_update(None, "cache_size", -2000)?;
    Ok(connection)
}

fn serve(connection: Connection, queue: &mpsc::Receiver<Job>) {
    let mut connection = connection;
    while let Ok(job) = queue.recv() {
        match job {
            Job::Commit {
                expected,
                events,
                views,
                new_head,
                reply,
            } => {
                let outcome = commit_if_head(&mut connection, expected, &events, &views, new_head);
                // A writer that went away does not undo a commit.
                let _ = reply.send(outcome);
            }
            Job::Checkpoint(reply) => {
                let _ = reply.send(checkpoint(&connection));
            }
            Job::Close(reply) => {
                if let Err((_, error)) = connection.close() {
                    tracing::warn!(%error, "closing the SQLite commit connection failed");
                }
                let _ = reply.send(());
                return;
            }
        }
    }
}

/// Copies the write-ahead log into the database file. Run here, between two commits, it copies
/// every frame (no commit of this process can run meanwhile), so the next commit starts the log
/// again from its beginning instead of appending to it; run beside a stream of commits, a
/// checkpoint is always behind the last one and the log grows as long as the commits go on.
fn checkpoint(connection: &Connection) -> Result<()> {
    connection
        .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
        .map_err(rusqlite_error)
}

const INSERT_EVENT_SQL: &str = "INSERT INTO events (position, stream, category, version, \
    event_id, event_type, schema_version, recorded_at, effective, payload, actor_id, actor_role, \
    organisation, reason, correlation_id, causation_id, idempotency_key, hash) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";

const MOVE_HEAD_SQL: &str =
    "UPDATE head SET position = ?1, hash = ?2, recorded_at = ?3 WHERE id = 1";

const CLOSE_VIEW_SQL: &str = "UPDATE read_models SET valid_to = ?3 \
    WHERE model = ?1 AND key = ?2 AND valid_to IS NULL";

const INSERT_VIEW_SQL: &str = "INSERT INTO read_models (model, key, version, valid_from, \
    valid_to, region, kind, status, task, tags, search, sort_name, doc) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

/// Whether the statement met a UNIQUE constraint (an event id, or a stream's version, taken).
fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(failure, _)
        if failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

/// One optimistic group commit: lock the database, and if the head is still `expected`, insert
/// `events`, move the head to `new_head`, write `views` and commit. `Ok(false)`: the head had
/// moved, or an event id or a stream version was taken; nothing was written.
fn commit_if_head(
    connection: &mut Connection,
    expected: Head,
    events: &[StoredEvent],
    views: &ViewWrites,
    new_head: Head,
) -> Result<bool> {
    let e = rusqlite_error;
    // Dropped without commit, the transaction rolls back.
    let tx = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(e)?;
    let (position, hash, recorded_at_micros) = tx
        .prepare_cached(HEAD_SQL)
        .map_err(e)?
        .query_row([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, Vec<u8>>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })
        .map_err(e)?;
    let position = to_u64(position, 0, "head position")?;
    let head = Head {
        position,
        hash: to_hash(&hash, position)?,
        recorded_at_micros,
    };
    if head != expected {
        return Ok(false);
    }
    {
        let mut insert = tx.prepare_cached(INSERT_EVENT_SQL).map_err(e)?;
        for event in events {
            let inserted = insert.execute(params![
                to_i64(event.position),
                event.stream,
                event.category(),
                to_i64(event.version),
                &event.event_id.as_bytes()[..],
                event.event_type,
                i64::from(event.schema_version),
                event.recorded_at_micros,
                event.effective,
                event.payload,
                event.actor_id,
                event.actor_role,
                event.organisation,
                event.reason,
                event.correlation_id.as_ref().map(|id| &id.as_bytes()[..]),
                event.causation_id.as_ref().map(|id| &id.as_bytes()[..]),
                event.idempotency_key,
                &event.hash[..],
            ]);
            match inserted {
                Ok(_) => {}
                Err(error) if is_unique_violation(&error) => return Ok(false),
                Err(error) => return Err(e(error)),
            }
        }
    }
    let moved = tx
        .prepare_cached(MOVE_HEAD_SQL)
        .map_err(e)?
        .execute(params![
            to_i64(new_head.position),
            &new_head.hash[..],
            new_head.recorded_at_micros,
        ])
        .map_err(e)?;
    if moved != 1 {
        return Err(StoreError::Corrupt {
            position: expected.position,
            detail: format!("the head table has {moved} rows with id 1"),
        });
    }
    write_views(&tx, views).map_err(e)?;
    tx.commit().map_err(e)?;
    Ok(true)
}

/// Closes the current rows of `views.close`, then inserts `views.insert` (in that order: a key's
/// new current row must not meet its old one in the unique index).
fn write_views(connection: &Connection, views: &ViewWrites) -> rusqlite::Result<()> {
    if !views.close.is_empty() {
        let mut close = connection.prepare_cached(CLOSE_VIEW_SQL)?;
        for c in &views.close {
            close.execute(params![c.model, c.key, to_i64(c.at)])?;
        }
    }
    if !views.insert.is_empty() {
        let mut insert = connection.prepare_cached(INSERT_VIEW_SQL)?;
        for r in &views.insert {
            insert.execute(params![
                r.model,
                r.key,
                to_i64(r.version),
                to_i64(r.valid_from),
                r.valid_to.map(to_i64),
                r.region,
                r.kind,
                r.status,
                r.task,
                r.tags,
                r.search,
                r.sort_name,
                r.doc,
            ])?;
        }
    }
    Ok(())
}
