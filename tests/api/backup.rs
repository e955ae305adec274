//! `redmud backup` and `redmud restore`: a backup taken while commands are being written restores
//! into a fresh database whose chain verifies, whose events are the original's first events hash
//! for hash, and whose read models equal a rebuild; a restore refuses an occupied target and a
//! tampered backup.

use redmud_api::backup::{self, BackupError};
use redmud_store::Filter;
use serde_json::json;

use crate::common::{Engine, TestDb};
use crate::harness::{TestApp, enterprise};

fn backup_file(engine: Engine) -> std::path::PathBuf {
    std::env::temp_dir().join(format!(
        "redmud-backup-{}.{}",
        uuid::Uuid::now_v7(),
        match engine {
            Engine::Sqlite => "db",
            Engine::Postgres => "pgdump",
        }
    ))
}

async fn a_backup_taken_while_writing_restores_verified(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    for n in 0..5 {
        guiyang
            .post(
                "/api/enterprises",
                enterprise(&format!("备份企业{n}"), "520181"),
            )
            .await
            .expect(201);
    }
    // Keep writing while the backup runs.
    let writer = {
        let guiyang = app.login("guiyang").await;
        tokio::spawn(async move {
            for n in 0..20 {
                let id = guiyang
                    .post(
                        "/api/enterprises",
                        enterprise(&format!("并发企业{n}"), "520181"),
                    )
                    .await
                    .expect(201)
                    .id();
                guiyang
                    .post(
                        &format!("/api/enterprises/{id}/amend"),
                        json!({ "name": format!("并发企业{n}（更名）"), "amended_on": "2025-05-01" }),
                    )
                    .await
                    .expect(200);
            }
        })
    };
    let store = &app.server.state.store;
    let file = backup_file(engine);
    let made = backup::backup(store, &app.db.url, &file)
        .await
        .expect("backup");
    writer.await.expect("writer");
    assert!(made.bytes > 0);
    assert!(file.exists());
    if engine == Engine::Sqlite {
        let verified = made.verified.as_ref().expect("a SQLite backup is verified");
        assert!(verified.is_intact(), "{verified:?}");
    }
    // A second backup to the same file is refused: a backup is never overwritten.
    assert!(matches!(
        backup::backup(store, &app.db.url, &file).await,
        Err(BackupError::DestinationExists(_))
    ));

    let target = TestDb::new(engine).await;
    let restored = backup::restore(&file, &target.url, false)
        .await
        .expect("restore");
    assert!(restored.verified.is_intact(), "{:?}", restored.verified);
    assert!(restored.read_models_matched_rebuild);
    let position = restored.verified.last_position;
    assert!(
        position >= 5,
        "the backup holds at least the events before it started"
    );
    let original = store
        .read_all_stored(1, Some(position), &Filter::all(), 100_000)
        .await
        .expect("original events");
    let copy = target.store().await;
    let copied = copy
        .read_all_stored(1, None, &Filter::all(), 100_000)
        .await
        .expect("restored events");
    assert_eq!(
        copied.len() as u64,
        position,
        "nothing after the backup's head"
    );
    for (a, b) in original.iter().zip(&copied) {
        assert_eq!((a.position, a.hash), (b.position, b.hash));
    }
    // The restored read models are the original's as they stood at the backup's position.
    let key =
        |v: &redmud_store::RecordedView| (v.row.model.clone(), v.row.key.clone(), v.valid_from);
    let mut expected: Vec<_> = store
        .all_views()
        .await
        .expect("original views")
        .into_iter()
        .filter(|v| v.valid_from <= position)
        .map(|mut v| {
            if v.valid_to.is_some_and(|to| to > position) {
                v.valid_to = None;
            }
            v
        })
        .collect();
    let mut actual = copy.all_views().await.expect("restored views");
    expected.sort_by_key(key);
    actual.sort_by_key(key);
    assert!(!actual.is_empty());
    assert_eq!(actual, expected);
    copy.close().await;

    // An occupied target is refused.
    let again = backup::restore(&file, &target.url, false).await;
    assert!(
        matches!(
            again,
            Err(BackupError::TargetExists(_) | BackupError::TargetNotEmpty)
        ),
        "{again:?}"
    );
    let _ = std::fs::remove_file(&file);
}

/// A backup file altered after it was written does not restore; the error names the position.
async fn a_tampered_sqlite_backup_is_refused(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    for n in 0..3 {
        guiyang
            .post(
                "/api/enterprises",
                enterprise(&format!("企业{n}"), "520181"),
            )
            .await
            .expect(201);
    }
    let file = backup_file(engine);
    backup::backup(&app.server.state.store, &app.db.url, &file)
        .await
        .expect("backup");
    {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", file.display()))
            .await
            .expect("open the backup");
        sqlx::query("DROP TRIGGER events_are_immutable")
            .execute(&mut conn)
            .await
            .expect("drop trigger");
        sqlx::query("UPDATE events SET payload = replace(payload, '企业1', '企业9') WHERE position = (SELECT max(position) FROM events WHERE payload LIKE '%企业1%')")
            .execute(&mut conn)
            .await
            .expect("tamper");
        conn.close().await.expect("close");
    }
    let target = TestDb::new(engine).await;
    let refused = backup::restore(&file, &target.url, false).await;
    match refused {
        Err(BackupError::Broken { failure, .. }) => assert!(failure.position > 1),
        other => panic!("a tampered backup must be refused, got {other:?}"),
    }
    assert!(
        !std::path::Path::new(target.url.trim_start_matches("sqlite:")).exists(),
        "nothing is put in place"
    );
    let _ = std::fs::remove_file(&file);
}

crate::on_both!(a_backup_taken_while_writing_restores_verified);

mod sqlite_only {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_tampered_sqlite_backup_is_refused() {
        super::a_tampered_sqlite_backup_is_refused(crate::common::Engine::Sqlite).await
    }
}
