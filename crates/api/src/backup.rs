//! `redmud backup` and `redmud restore`: an online, consistent copy of the whole database, and a
//! restore that proves the copy before it is used.
//!
//! - **SQLite**: `VACUUM INTO` writes a transactionally consistent copy of the live database while
//!   the server keeps serving (it reads one snapshot; writers are not blocked in WAL mode). The copy
//!   is written next to the destination, opened and its hash chain verified, and only then renamed
//!   to the destination: a file at the destination is always a complete, verified backup.
//! - **PostgreSQL**: `pg_dump --format=custom`, which dumps one `REPEATABLE READ` snapshot while
//!   the server keeps serving (PostgreSQL's own tool; it must be on `PATH`). The archive is
//!   verified when restored.
//!
//! A restore refuses a target that already holds data (SQLite: unless forced), puts the backup in
//! place, applies pending migrations, walks the whole hash chain and checks that the read models
//! equal a rebuild from the log (rebuilding them when they do not); it fails on a broken chain.

use std::path::{Path, PathBuf};
use std::process::Command;

use redmud_store::{ChainFailure, EventStore, StoreError, VerifyReport};
use serde::Serialize;
use sqlx::Connection;

use crate::error::ApiError;

/// What went wrong in a backup or a restore.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; choose a new file")]
    DestinationExists(PathBuf),
    #[error("the restore target {0} already holds a database (pass --force to replace it)")]
    TargetExists(PathBuf),
    #[error("the restore target database already has an event log; restore into an empty database")]
    TargetNotEmpty,
    #[error("{0} stayed in journal mode {1}: another connection still has it open")]
    NotSealed(PathBuf, String),
    #[error("{0} is not an SQLite database file")]
    NotSqlite(PathBuf),
    #[error(
        "a SQLite backup restores into a sqlite: database and a pg_dump archive into PostgreSQL"
    )]
    EngineMismatch,
    #[error(
        "cannot run {tool}: {source} (install PostgreSQL's client tools, e.g. Debian's postgresql-client)"
    )]
    ToolMissing {
        tool: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("{tool} failed ({status}): {stderr}")]
    ToolFailed {
        tool: &'static str,
        status: std::process::ExitStatus,
        stderr: String,
    },
    #[error("the hash chain of the {what} is broken at position {}: {:?}", failure.position, failure.fault)]
    Broken {
        what: &'static str,
        failure: ChainFailure,
    },
    #[error("the database")]
    Store(#[from] StoreError),
    #[error("the database")]
    Sqlx(#[from] sqlx::Error),
    #[error("rebuilding the read models")]
    Rebuild(#[source] ApiError),
    #[error("file system")]
    Io(#[from] std::io::Error),
}

/// The outcome of `redmud backup`.
#[derive(Debug, Serialize)]
pub struct BackupReport {
    pub engine: &'static str,
    pub file: PathBuf,
    pub bytes: u64,
    /// The chain as verified in the copy (SQLite); `None` for a pg_dump archive, which is verified
    /// by its restore.
    pub verified: Option<VerifyReport>,
}

/// The outcome of `redmud restore`.
#[derive(Debug, Serialize)]
pub struct RestoreReport {
    pub engine: &'static str,
    /// The restored log, verified from genesis.
    pub verified: VerifyReport,
    /// Read-model rows after the restore.
    pub read_model_rows: usize,
    /// Whether the restored read models already equalled a rebuild from the log (when not, they
    /// were rebuilt).
    pub read_models_matched_rebuild: bool,
}

/// Writes a consistent copy of the live database `store` (opened from `database_url`) to `dest`.
pub async fn backup(
    store: &EventStore,
    database_url: &str,
    dest: &Path,
) -> Result<BackupReport, BackupError> {
    if dest.exists() {
        return Err(BackupError::DestinationExists(dest.to_owned()));
    }
    let partial = sibling(dest, "partial");
    remove_sqlite_files(&partial)?;
    let verified = match store.engine().pool() {
        redmud_store::EnginePool::Sqlite(pool) => {
            sqlx::query("VACUUM INTO ?")
                .bind(partial.to_string_lossy().into_owned())
                .execute(pool)
                .await?;
            let copy = EventStore::connect(&sqlite_url(&partial)).await?;
            let report = copy.verify().await;
            copy.close().await;
            let report = report?;
            if let Some(failure) = &report.first_failure {
                remove_sqlite_files(&partial)?;
                return Err(BackupError::Broken {
                    what: "backup",
                    failure: failure.clone(),
                });
            }
            seal(&partial).await?;
            Some(report)
        }
        redmud_store::EnginePool::Postgres(_) => {
            run_tool(
                "pg_dump",
                Command::new("pg_dump")
                    .arg("--format=custom")
                    .arg("--no-owner")
                    .arg("--file")
                    .arg(&partial)
                    .arg("--dbname")
                    .arg(database_url),
            )?;
            None
        }
    };
    std::fs::rename(&partial, dest)?;
    Ok(BackupReport {
        engine: store.engine_name(),
        file: dest.to_owned(),
        bytes: std::fs::metadata(dest)?.len(),
        verified,
    })
}

/// Restores `backup` into the database at `target_url` and proves the result (see the module
/// documentation). `force` lets a SQLite restore replace an existing file; stop the server first.
pub async fn restore(
    backup: &Path,
    target_url: &str,
    force: bool,
) -> Result<RestoreReport, BackupError> {
    let header = {
        use std::io::Read;
        let mut header = [0u8; 16];
        let mut file = std::fs::File::open(backup)?;
        let read = file.read(&mut header)?;
        header[..read].to_vec()
    };
    let is_sqlite_file = header == b"SQLite format 3\0";
    match sqlite_path(target_url) {
        Some(target) if is_sqlite_file => restore_sqlite(backup, &target, force).await,
        Some(_) => Err(BackupError::NotSqlite(backup.to_owned())),
        None if is_sqlite_file => Err(BackupError::EngineMismatch),
        None => restore_postgres(backup, target_url).await,
    }
}

async fn restore_sqlite(
    backup: &Path,
    target: &Path,
    force: bool,
) -> Result<RestoreReport, BackupError> {
    if target.exists() && !force {
        return Err(BackupError::TargetExists(target.to_owned()));
    }
    // Prove a copy before it replaces anything.
    let staged = sibling(target, "restoring");
    remove_sqlite_files(&staged)?;
    std::fs::copy(backup, &staged)?;
    let proved = prove(&sqlite_url(&staged)).await;
    if proved.is_err() {
        remove_sqlite_files(&staged)?;
        return proved;
    }
    seal(&staged).await?;
    remove_sqlite_files(target)?;
    std::fs::rename(&staged, target)?;
    proved
}

async fn restore_postgres(backup: &Path, target_url: &str) -> Result<RestoreReport, BackupError> {
    let mut conn = sqlx::PgConnection::connect(target_url).await?;
    let existing: Option<String> = sqlx::query_scalar("SELECT to_regclass('events')::text")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    if existing.is_some() {
        return Err(BackupError::TargetNotEmpty);
    }
    run_tool(
        "pg_restore",
        Command::new("pg_restore")
            .arg("--no-owner")
            .arg("--exit-on-error")
            .arg("--dbname")
            .arg(target_url)
            .arg(backup),
    )?;
    prove(target_url).await
}

/// Opens a restored database, migrates it, verifies the whole chain and checks the read models
/// against a rebuild.
async fn prove(url: &str) -> Result<RestoreReport, BackupError> {
    let store = EventStore::open(url).await?;
    let result = prove_store(&store).await;
    store.close().await;
    result
}

async fn prove_store(store: &EventStore) -> Result<RestoreReport, BackupError> {
    let verified = store.verify().await?;
    if let Some(failure) = &verified.first_failure {
        return Err(BackupError::Broken {
            what: "restored log",
            failure: failure.clone(),
        });
    }
    let before = store.all_views().await?;
    crate::rebuild::rebuild(store)
        .await
        .map_err(BackupError::Rebuild)?;
    let after = store.all_views().await?;
    Ok(RestoreReport {
        engine: store.engine_name(),
        verified,
        read_model_rows: after.len(),
        read_models_matched_rebuild: before == after,
    })
}

fn run_tool(tool: &'static str, command: &mut Command) -> Result<(), BackupError> {
    let output = command
        .output()
        .map_err(|source| BackupError::ToolMissing { tool, source })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(BackupError::ToolFailed {
            tool,
            status: output.status,
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        })
    }
}

/// The file of a `sqlite:` URL (`sqlite:PATH`, `sqlite://PATH`, query string ignored).
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or(rest);
    Some(PathBuf::from(path))
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite:{}", path.display())
}

/// Makes the SQLite file at `path` whole on its own before it is renamed: leaves WAL mode, which
/// copies the write-ahead log into the file and deletes it. SQLite allows that only to a file's
/// sole connection, so it also proves that no connection to the file is still open: none can
/// write to it under its new name.
async fn seal(path: &Path) -> Result<(), BackupError> {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
    let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode = DELETE")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    if mode.eq_ignore_ascii_case("delete") {
        Ok(())
    } else {
        Err(BackupError::NotSealed(path.to_owned(), mode))
    }
}

/// `dir/name.ext` → `dir/name.ext.<suffix>`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Removes a SQLite file and its `-wal`/`-shm` companions (missing ones are fine).
fn remove_sqlite_files(path: &Path) -> std::io::Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(PathBuf::from(name)) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_path("sqlite:redmud.db"),
            Some(PathBuf::from("redmud.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:///var/lib/redmud.db?mode=rwc"),
            Some(PathBuf::from("/var/lib/redmud.db"))
        );
        assert_eq!(sqlite_path("postgres://u@h/db"), None);
    }

    #[test]
    fn siblings_keep_the_directory() {
        assert_eq!(
            sibling(Path::new("/backups/x.db"), "partial"),
            PathBuf::from("/backups/x.db.partial")
        );
    }
}
