//! The event format spec is sufficient: `docs/verify_chain.py`, written from the spec alone (Python
//! standard library only), verifies what each engine stored, and finds the damage we make.

#[path = "../crates/store/tests/common/mod.rs"]
mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{Engine, TestDb, event, meta};
use redmud_store::{Effective, ExpectedVersion, Filter, NewEvent, StreamAppend, StreamId};
use serde_json::{Value, json};

fn python_verify(lines: &[String], head: Option<(u64, &str)>) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/verify_chain.py");
    let mut command = Command::new("python3");
    command.arg(script).arg("-").arg("--json");
    if let Some((position, hash)) = head {
        command.args([
            "--head-position",
            &position.to_string(),
            "--head-hash",
            hash,
        ]);
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut stdin = child.stdin.take().expect("stdin");
    for line in lines {
        writeln!(stdin, "{line}").expect("write line");
    }
    drop(stdin);
    let out = child.wait_with_output().expect("python3 finishes");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not a JSON report ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

async fn python_agrees_with_the_store(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let enterprise =
        StreamId::new("enterprise-0190f5a0-0000-7000-8000-0000000000aa").expect("stream");
    let mut correction = meta().with_reason("更正：\"一季度\"\n数据\t有误 \\ ✓");
    correction.correlation_id = Some(uuid::Uuid::now_v7());
    correction.causation_id = Some(uuid::Uuid::now_v7());
    correction.idempotency_key = Some("idem-🔑".into());
    let events = vec![
        event("Registered", 1),
        NewEvent::new(
            "LedgerCorrected",
            json!({ "z": [1, -2, { "b": null, "a": true }], "名称": "赤泥", "big": u64::MAX }),
            correction,
        )
        .with_effective(Effective::new("2026-Q1").expect("period"))
        .with_schema_version(2),
        NewEvent::new("Noted", json!({ "ctl": "\u{1}\u{1f}\u{7f}" }), meta())
            .with_effective(Effective::new("2026-03-31").expect("date")),
    ];
    store
        .append(StreamAppend::new(
            enterprise.clone(),
            ExpectedVersion::NoStream,
            events,
        ))
        .await
        .expect("append");
    for i in 0..5 {
        store
            .append(StreamAppend::new(
                StreamId::new(format!("project-{i}")).expect("stream"),
                ExpectedVersion::Any,
                vec![event("Tick", i)],
            ))
            .await
            .expect("append");
    }
    let head = store.head().await.expect("head");
    let head_hex = hex(&head.hash);
    let lines: Vec<String> = store
        .read_all_stored(1, None, &Filter::all(), 1_000)
        .await
        .expect("read")
        .iter()
        .map(|e| e.export_line())
        .collect();

    let report = python_verify(&lines, Some((head.position, &head_hex)));
    assert_eq!(report["first_failure"], Value::Null, "{report}");
    assert_eq!(report["checked"], 8);
    assert_eq!(
        report["last_hash"],
        head_hex.as_str(),
        "Python and Rust compute the same chain"
    );

    let mut altered = lines.clone();
    altered[1] = altered[1].replace("赤泥", "赤土");
    let report = python_verify(&altered, Some((head.position, &head_hex)));
    assert_eq!(report["first_failure"]["position"], 2, "{report}");
    assert_eq!(
        report["first_failure"]["kind"], "content_altered",
        "{report}"
    );

    let truncated = &lines[..6];
    let report = python_verify(truncated, Some((head.position, &head_hex)));
    assert_eq!(report["first_failure"]["kind"], "head_mismatch", "{report}");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_agrees_with_sqlite() {
    python_agrees_with_the_store(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_agrees_with_postgres() {
    python_agrees_with_the_store(Engine::Postgres).await;
}
