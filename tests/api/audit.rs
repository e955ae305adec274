//! `/api/audit/…`: verification with the failing position, signed checkpoints (on demand and every
//! N events), evidence bundles checked by the Rust verifier and by `docs/verify_bundle.py` (written
//! from docs/evidence-bundle.md alone), intact and tampered, on both engines.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use redmud_api::audit::{BundleReport, verify_bundle};
use serde_json::{Value, json};

use crate::common::Engine;
use crate::harness::{Client, TestApp, enterprise};

/// Adds enterprises until the log has at least `events` events; returns the head position.
async fn fill(app: &TestApp, client: &Client, events: u64) -> u64 {
    loop {
        let head = app.server.state.store.head().await.expect("head").position;
        if head >= events {
            return head;
        }
        client
            .post(
                "/api/enterprises",
                enterprise(&format!("企业{head}"), "520100"),
            )
            .await
            .expect(201);
    }
}

/// Runs `docs/verify_bundle.py` on a bundle. Fails (does not skip) without python3 or the
/// `cryptography` package.
fn python_verify(bundle: &str) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/verify_bundle.py");
    let mut child = Command::new("python3")
        .arg(script)
        .arg("-")
        .arg("--json")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(bundle.as_bytes())
        .expect("write bundle");
    let out = child.wait_with_output().expect("python3 finishes");
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "verify_bundle.py failed (is `cryptography` installed? pip install cryptography): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not a JSON report ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn rust_verify(bundle: &str) -> Value {
    let report: BundleReport = verify_bundle(bundle, None);
    serde_json::to_value(report).expect("report as JSON")
}

/// The bundle's lines, and the index of the event line at `position`.
fn lines(bundle: &str) -> Vec<String> {
    bundle.lines().map(str::to_owned).collect()
}

fn index_of(lines: &[String], kind: &str, position: u64) -> usize {
    lines
        .iter()
        .position(|line| {
            let value: Value = serde_json::from_str(line).expect("JSON line");
            value["kind"] == kind && value["position"] == position
        })
        .unwrap_or_else(|| panic!("no {kind} line at {position}"))
}

fn edit(lines: &mut [String], index: usize, change: impl FnOnce(&mut Value)) {
    let mut value: Value = serde_json::from_str(&lines[index]).expect("JSON line");
    change(&mut value);
    lines[index] = value.to_string();
}

fn join(lines: &[String]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

async fn verify_locates_damage_and_respects_roles(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let auditor = app.login("auditor").await;
    let head = fill(&app, &guiyang, 10).await;

    let intact = auditor.get("/api/audit/verify").await.expect(200);
    assert_eq!(intact.body["intact"], true, "{:#}", intact.body);
    assert_eq!(intact.body["checked"], head);
    assert_eq!(intact.body["head"]["position"], head);
    assert_eq!(intact.body["last_hash"], intact.body["head"]["hash"]);
    let range = auditor
        .get("/api/audit/verify?from=3&to=6")
        .await
        .expect(200);
    assert_eq!(range.body["checked"], 4, "{:#}", range.body);
    assert_eq!(range.body["intact"], true);
    app.login("province")
        .await
        .get("/api/audit/verify")
        .await
        .expect(200);
    let refused = guiyang.get("/api/audit/verify").await.expect(403);
    assert_eq!(refused.problem(), "role_not_allowed");
    auditor
        .get("/api/audit/verify?from=5&to=2")
        .await
        .expect(400);

    app.db
        .tamper(&["UPDATE events SET payload = '{\"forged\":1}' WHERE position = 4"])
        .await;
    let broken = auditor.get("/api/audit/verify").await.expect(200);
    assert_eq!(broken.body["intact"], false);
    assert_eq!(
        broken.body["first_failure"]["position"], 4,
        "{:#}",
        broken.body
    );
    assert_eq!(broken.body["first_failure"]["kind"], "content_altered");
    // A range that starts after the damage trusts the stored hash before it.
    let after = auditor.get("/api/audit/verify?from=5").await.expect(200);
    assert_eq!(after.body["intact"], true, "{:#}", after.body);
    // Nothing is signed over a broken chain.
    let refused = auditor.post("/api/audit/checkpoints", json!({})).await;
    assert_eq!(refused.expect(409).problem(), "chain_broken");
    auditor.get("/api/audit/export").await.expect(409);
    app.stop().await;
}

async fn checkpoints_are_signed_on_demand_and_every_n_events(engine: Engine) {
    let app = TestApp::spawn_with(engine, |config| config.checkpoint_every = 4).await;
    let guiyang = app.login("guiyang").await;
    let auditor = app.login("auditor").await;
    let head = fill(&app, &guiyang, 12).await;

    // Every 4 events: the checkpointer catches up within a few polls.
    let mut listed = Value::Null;
    for _ in 0..40 {
        listed = auditor.get("/api/audit/checkpoints").await.expect(200).body;
        if listed["checkpoints"]
            .as_array()
            .and_then(|c| c.last())
            .is_some_and(|c| c["position"].as_u64() >= Some(head.saturating_sub(3)))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let automatic = listed["checkpoints"]
        .as_array()
        .expect("checkpoints")
        .clone();
    assert!(!automatic.is_empty(), "no automatic checkpoint: {listed:#}");

    // On demand, at a position: signed by the listed key, repeatable (the same checkpoint).
    let signed = auditor
        .post("/api/audit/checkpoints", json!({ "position": 2 }))
        .await
        .expect(201);
    let again = auditor
        .post("/api/audit/checkpoints", json!({ "position": 2 }))
        .await
        .expect(201);
    assert_eq!(signed.body["checkpoint"], again.body["checkpoint"]);
    let checkpoint: redmud_api::audit::Checkpoint =
        serde_json::from_value(signed.body["checkpoint"].clone()).expect("checkpoint");
    let mut key = [0u8; 32];
    hex::decode_to_slice(listed["public_key"].as_str().expect("public key"), &mut key)
        .expect("hex key");
    assert!(checkpoint.is_signed_by(&key));
    let event = app
        .server
        .state
        .store
        .read_all_stored(2, Some(2), &redmud_store::Filter::all(), 1)
        .await
        .expect("read");
    assert_eq!(checkpoint.hash, hex::encode(event[0].hash));
    let mut forged = checkpoint.clone();
    forged.position = 3;
    assert!(!forged.is_signed_by(&key));

    // Roles: bureaus may not list, province may list but not sign.
    guiyang.get("/api/audit/checkpoints").await.expect(403);
    let province = app.login("province").await;
    province.get("/api/audit/checkpoints").await.expect(200);
    province
        .post("/api/audit/checkpoints", json!({}))
        .await
        .expect(403);
    auditor
        .post("/api/audit/checkpoints", json!({ "position": 9999 }))
        .await
        .expect(422);
    app.stop().await;
}

async fn bundles_verify_offline_and_tampering_is_located(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let auditor = app.login("auditor").await;
    let head = fill(&app, &guiyang, 12).await;

    let reply = auditor.get("/api/audit/export").await.expect(200);
    assert_eq!(
        reply
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/x-ndjson")
    );
    let bundle = reply.body.as_str().expect("NDJSON text").to_owned();
    let rust = rust_verify(&bundle);
    assert_eq!(rust["intact"], true, "{rust:#}");
    assert_eq!(rust["checked"], head);
    let python = python_verify(&bundle);
    assert_eq!(python["intact"], true, "{python:#}");
    assert_eq!(python["last_hash"], rust["last_hash"]);
    assert_eq!(python["valid_checkpoints"], rust["valid_checkpoints"]);

    // A range: starts after a signed checkpoint.
    let range = auditor
        .get(&format!("/api/audit/export?from=3&to={}", head - 1))
        .await
        .expect(200);
    let range = range.body.as_str().expect("NDJSON").to_owned();
    assert_eq!(
        rust_verify(&range)["intact"],
        true,
        "{:#}",
        rust_verify(&range)
    );
    assert_eq!(python_verify(&range)["intact"], true);

    let base = lines(&bundle);
    type Tamper = Box<dyn Fn(&mut Vec<String>)>;
    let cases: Vec<(&str, Tamper, u64, &str)> = vec![
        (
            "one byte of a payload",
            Box::new(|l: &mut Vec<String>| {
                let i = index_of(l, "event", 4);
                edit(l, i, |v| {
                    let mut bytes = v["payload"].as_str().expect("payload").as_bytes().to_vec();
                    let at = bytes
                        .iter()
                        .position(u8::is_ascii_lowercase)
                        .expect("a letter");
                    bytes[at] ^= 0x20;
                    v["payload"] = json!(String::from_utf8(bytes).expect("utf-8"));
                });
            }) as Tamper,
            4,
            "content_altered",
        ),
        (
            "a metadata field",
            Box::new(|l: &mut Vec<String>| {
                let i = index_of(l, "event", 5);
                edit(l, i, |v| v["actor_id"] = json!("someone-else"));
            }) as Tamper,
            5,
            "content_altered",
        ),
        (
            "a deleted row",
            Box::new(|l: &mut Vec<String>| {
                let i = index_of(l, "event", 6);
                l.remove(i);
            }) as Tamper,
            6,
            "missing",
        ),
        (
            "two swapped rows",
            Box::new(|l: &mut Vec<String>| {
                let i = index_of(l, "event", 7);
                l.swap(i, i + 1);
            }) as Tamper,
            7,
            "missing",
        ),
        (
            "a truncated tail",
            Box::new(move |l: &mut Vec<String>| {
                let i = index_of(l, "event", head - 1);
                l.drain(i..i + 2).for_each(drop);
            }) as Tamper,
            head - 1,
            "head_mismatch",
        ),
        (
            "a forged checkpoint signature",
            Box::new(move |l: &mut Vec<String>| {
                let i = index_of(l, "checkpoint", head);
                edit(l, i, |v| {
                    let mut signature = v["signature"].as_str().expect("signature").to_owned();
                    let flipped = if signature.starts_with('0') { "1" } else { "0" };
                    signature.replace_range(0..1, flipped);
                    v["signature"] = json!(signature);
                });
            }) as Tamper,
            head,
            "bad_signature",
        ),
        (
            "a forged checkpoint hash",
            Box::new(move |l: &mut Vec<String>| {
                let i = index_of(l, "checkpoint", head);
                edit(l, i, |v| v["hash"] = json!("ab".repeat(32)));
            }) as Tamper,
            head,
            "bad_signature",
        ),
    ];
    for (name, tamper, position, kind) in cases {
        let mut tampered = base.clone();
        tamper(&mut tampered);
        let text = join(&tampered);
        for (who, report) in [
            ("rust", rust_verify(&text)),
            ("python", python_verify(&text)),
        ] {
            assert_eq!(report["intact"], false, "{who}, {name}: {report:#}");
            assert_eq!(
                report["first_failure"]["position"], position,
                "{who}, {name}: {report:#}"
            );
            assert_eq!(
                report["first_failure"]["kind"], kind,
                "{who}, {name}: {report:#}"
            );
        }
    }
    // A key other than the one the auditor trusts.
    let other = redmud_api::audit::AuditKey::from_seed(&[7; 32]).public_hex();
    let report = verify_bundle(&bundle, Some(&other));
    assert!(!report.intact);
    app.stop().await;
}

crate::on_both!(
    verify_locates_damage_and_respects_roles,
    checkpoints_are_signed_on_demand_and_every_n_events,
    bundles_verify_offline_and_tampering_is_located,
);
