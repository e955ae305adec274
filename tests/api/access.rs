//! Access control, endpoint × role: every command of every aggregate and every read for each role
//! and for no token at all, a bureau outside its region, and proof that refused requests write
//! nothing (the auditor changes nothing anywhere).
//!
//! The expectations are written out here, independently of the server's own role tables: a change
//! of who may do what must change this file too.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::Engine;
use crate::harness::{Client, TestApp, enterprise};

/// The test account of each role (bureau: Guiyang, 520100).
const ROLES: &[(&str, &str)] = &[
    ("admin", "admin"),
    ("province", "province"),
    ("bureau", "guiyang"),
    ("finance", "finance"),
    ("auditor", "auditor"),
];

const BUREAU: &[&str] = &["bureau", "province"];
const PROVINCE: &[&str] = &["province"];
const FINANCE: &[&str] = &["finance"];
const ADMIN: &[&str] = &["admin"];

/// (collection, command, creates an instance, roles allowed).
const COMMANDS: &[(&str, &str, bool, &[&str])] = &[
    ("enterprises", "register", true, BUREAU),
    ("enterprises", "amend", false, BUREAU),
    ("enterprises", "deregister", false, BUREAU),
    ("enterprises", "file-policy-plan", false, BUREAU),
    ("enterprises", "revise-policy-plan", false, BUREAU),
    ("enterprises", "declare-stock-baseline", false, BUREAU),
    ("enterprises", "correct-stock-baseline", false, BUREAU),
    ("enterprises", "record-ledger", false, BUREAU),
    ("enterprises", "correct-ledger", false, BUREAU),
    ("enterprises", "grant-designation", false, PROVINCE),
    ("enterprises", "revoke-designation", false, PROVINCE),
    (
        "enterprises",
        "record-clean-production-audit",
        false,
        BUREAU,
    ),
    ("enterprises", "claim-tax-incentive", false, FINANCE),
    ("enterprises", "approve-tax-incentive", false, FINANCE),
    ("enterprises", "reject-tax-incentive", false, FINANCE),
    ("enterprises", "recover-tax-incentive", false, FINANCE),
    ("enterprises", "recommend-typical-case", false, PROVINCE),
    ("enterprises", "withdraw-typical-case", false, PROVINCE),
    ("projects", "propose-project", true, BUREAU),
    ("projects", "approve-project", false, PROVINCE),
    ("projects", "start-construction", false, BUREAU),
    ("projects", "plan-milestone", false, BUREAU),
    ("projects", "achieve-milestone", false, BUREAU),
    ("projects", "commission-capacity", false, BUREAU),
    ("projects", "accept-project", false, PROVINCE),
    ("projects", "fail-acceptance", false, PROVINCE),
    ("projects", "suspend-project", false, PROVINCE),
    ("projects", "resume-project", false, PROVINCE),
    ("projects", "cancel-project", false, PROVINCE),
    ("projects", "award-funding", false, FINANCE),
    ("projects", "disburse-tranche", false, FINANCE),
    ("projects", "recover-funding", false, FINANCE),
    ("projects", "open-consultation", false, BUREAU),
    ("projects", "approve-standard", false, PROVINCE),
    ("projects", "publish-standard", false, PROVINCE),
    ("projects", "withdraw-standard", false, PROVINCE),
    ("projects", "recommend-typical-case", false, PROVINCE),
    ("projects", "withdraw-typical-case", false, PROVINCE),
    ("bases", "designate-base", true, PROVINCE),
    ("bases", "add-member", false, PROVINCE),
    ("bases", "remove-member", false, PROVINCE),
    ("bases", "link-project", false, PROVINCE),
    ("bases", "unlink-project", false, PROVINCE),
    ("bases", "set-year-targets", false, PROVINCE),
    ("bases", "revise-year-targets", false, PROVINCE),
    ("bases", "record-evaluation", false, PROVINCE),
    ("bases", "revoke-base", false, PROVINCE),
    ("regional-plans", "set-targets", true, PROVINCE),
    ("regional-plans", "revise-targets", false, PROVINCE),
    ("regional-plans", "submit-report", false, BUREAU),
    ("regional-plans", "return-report", false, PROVINCE),
    ("regional-plans", "accept-report", false, PROVINCE),
    ("accounts", "create-account", true, ADMIN),
    ("accounts", "change-role", false, ADMIN),
    ("accounts", "update-profile", false, ADMIN),
    ("accounts", "disable-account", false, ADMIN),
    ("accounts", "enable-account", false, ADMIN),
];

const EVERYONE: &[&str] = &["admin", "province", "bureau", "finance", "auditor"];
const AUDIT_READERS: &[&str] = &["auditor", "province", "admin"];

/// (path, roles that may read it).
const READS: &[(&str, &[&str])] = &[
    ("/api/auth/me", EVERYONE),
    ("/api/enterprises", EVERYONE),
    ("/api/projects", EVERYONE),
    ("/api/bases", EVERYONE),
    ("/api/regional-plans", EVERYONE),
    ("/api/accounts", &["admin", "auditor"]),
    ("/api/events", EVERYONE),
    ("/api/reports/balance", EVERYONE),
    ("/api/reports/targets", EVERYONE),
    ("/api/reports/tasks", EVERYONE),
    ("/api/reports/typical-cases", EVERYONE),
    ("/api/reference/plan-tasks", EVERYONE),
    ("/api/audit/verify", AUDIT_READERS),
    ("/api/audit/checkpoints", AUDIT_READERS),
    ("/api/audit/export", AUDIT_READERS),
];

fn command_path(collection: &str, command: &str, creates: bool) -> String {
    if creates {
        format!("/api/{collection}")
    } else {
        format!("/api/{collection}/{}/{command}", uuid::Uuid::now_v7())
    }
}

async fn head(app: &TestApp) -> u64 {
    app.server.state.store.head().await.expect("head").position
}

async fn every_command_and_read_is_allowed_or_refused_by_role(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut clients: Vec<(&str, Client)> = Vec::new();
    for (role, username) in ROLES {
        clients.push((role, app.login(username).await));
    }
    let before = head(&app).await;

    for (collection, command, creates, allowed) in COMMANDS {
        let path = command_path(collection, command, *creates);
        // No token: 401, whatever the command.
        let reply = app.anonymous().post(&path, json!({})).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
        for (role, client) in &clients {
            // An empty body: a role that may run the command passes authorisation and is stopped
            // by the body; any other role is refused before the body is looked at.
            let reply = client.post(&path, json!({})).await;
            if allowed.contains(role) {
                assert!(
                    reply.status.is_client_error()
                        && reply.status != StatusCode::UNAUTHORIZED
                        && reply.status != StatusCode::FORBIDDEN,
                    "{role} may {command} but got {} {:#}",
                    reply.status,
                    reply.body
                );
            } else {
                assert_eq!(
                    reply.status,
                    StatusCode::FORBIDDEN,
                    "{role} may not {command}: {:#}",
                    reply.body
                );
                assert_eq!(reply.problem(), "role_not_allowed", "{role} {command}");
            }
        }
    }
    assert_eq!(head(&app).await, before, "refused commands wrote events");

    for (path, allowed) in READS {
        let reply = app.anonymous().get(path).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "anonymous {path}");
        assert_eq!(reply.problem(), "missing_token", "anonymous {path}");
        for (role, client) in &clients {
            let reply = client.get(path).await;
            let expected = if allowed.contains(role) {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(
                reply.status, expected,
                "{role} GET {path}: {:#}",
                reply.body
            );
        }
    }
    // What needs no token.
    for path in ["/health", "/api/openapi.json", "/api/docs"] {
        app.anonymous().get(path).await.expect(200);
    }
    // Signing a checkpoint: auditors and administrators.
    for (role, client) in &clients {
        let reply = client
            .send(Method::POST, "/api/audit/checkpoints", Some(json!({})), &[])
            .await;
        let expected = if ["auditor", "admin"].contains(role) {
            StatusCode::CREATED
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(reply.status, expected, "{role} signs: {:#}", reply.body);
    }
    // Another account's password: administrators only.
    let auditor_id = clients[4].1.get("/api/auth/me").await.expect(200).body["account_id"]
        .as_str()
        .expect("id")
        .to_owned();
    for (role, client) in &clients[..4] {
        let reply = client
            .post(
                &format!("/api/accounts/{auditor_id}/password"),
                json!({ "password": "a-new-password-123" }),
            )
            .await;
        let expected = if *role == "admin" {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(
            reply.status, expected,
            "{role} sets a password: {:#}",
            reply.body
        );
    }
    app.stop().await;
}

/// A bureau writes its own region's data only; the province writes everywhere.
async fn a_bureau_is_confined_to_its_region(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let guiyang = app.login("guiyang").await;
    let zunyi = app.login("zunyi").await;
    let province = app.login("province").await;

    let reply = guiyang
        .post("/api/enterprises", enterprise("遵义某企业", "520302"))
        .await
        .expect(403);
    assert_eq!(reply.problem(), "outside_region");

    let id = guiyang
        .post("/api/enterprises", enterprise("贵阳某企业", "520181"))
        .await
        .expect(201)
        .id();
    let amend = json!({ "name": "改名", "amended_on": "2025-05-01" });
    let before = head(&app).await;
    let reply = zunyi
        .post(&format!("/api/enterprises/{id}/amend"), amend.clone())
        .await
        .expect(403);
    assert_eq!(reply.problem(), "outside_region");
    assert_eq!(head(&app).await, before, "a refused command wrote an event");
    // Reading is not confined: every bureau sees the province's data.
    zunyi
        .get(&format!("/api/enterprises/{id}"))
        .await
        .expect(200);
    guiyang
        .post(&format!("/api/enterprises/{id}/amend"), amend.clone())
        .await
        .expect(200);
    province
        .post(
            &format!("/api/enterprises/{id}/amend"),
            json!({ "name": "省级改名", "amended_on": "2025-06-01" }),
        )
        .await
        .expect(200);
    app.stop().await;
}

crate::on_both!(
    every_command_and_read_is_allowed_or_refused_by_role,
    a_bureau_is_confined_to_its_region
);
