//! The `redmud` binary: `migrate` creates and migrates a database; `verify` reports the chain.

use std::process::Command;

fn redmud(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_redmud"))
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run redmud")
}

#[test]
fn migrate_creates_a_sqlite_database_and_verify_reports_an_intact_chain() {
    let dir = std::env::temp_dir().join(format!("redmud-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite:{}", dir.join("ledger.db").display());

    let migrate = redmud(&["migrate", "--database-url", &url]);
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    assert!(
        String::from_utf8_lossy(&migrate.stdout).contains("migrated (sqlite engine, 0 events)")
    );
    assert!(dir.join("ledger.db").exists());
    // Twice is fine.
    assert!(
        redmud(&["migrate", "--database-url", &url])
            .status
            .success()
    );

    let verify = redmud(&["verify", "--database-url", &url]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&verify.stdout).expect("JSON report");
    assert_eq!(report["checked"], 0);
    assert_eq!(report["first_failure"], serde_json::Value::Null);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_database_url_is_a_clear_error_without_the_password() {
    let out = redmud(&[
        "migrate",
        "--database-url",
        "mysql://admin:s3cret@db/ledger",
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unsupported database URL"), "{stderr}");
    assert!(!stderr.contains("s3cret"), "password leaked: {stderr}");
}
