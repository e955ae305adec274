//! Sign-in, tokens (expiry, revocation), throttling, account changes as events.

use serde_json::json;

use crate::common::Engine;
use crate::harness::{PASSWORD, TestApp};

async fn tokens_are_revoked_by_logout_password_change_and_disabling(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let admin = app.login("admin").await;
    let guiyang = app.login("guiyang").await;
    let me = guiyang.get("/api/auth/me").await.expect(200);
    assert_eq!(me.body["role"], "bureau");
    assert_eq!(me.body["region"], "520100");
    // Logout revokes the token.
    guiyang
        .post("/api/auth/logout", json!({}))
        .await
        .expect(204);
    assert_eq!(
        guiyang.get("/api/auth/me").await.expect(401).problem(),
        "invalid_token"
    );
    // A new password ends every session of the account; the old password stops working.
    let zunyi = app.login("zunyi").await;
    let zunyi_id = zunyi.get("/api/auth/me").await.expect(200).body["account_id"]
        .as_str()
        .expect("id")
        .to_owned();
    admin
        .post(
            &format!("/api/accounts/{zunyi_id}/password"),
            json!({ "password": "another-password-2" }),
        )
        .await
        .expect(200);
    zunyi.get("/api/auth/me").await.expect(401);
    app.anonymous()
        .post(
            "/api/auth/login",
            json!({ "username": "zunyi", "password": PASSWORD }),
        )
        .await
        .expect(401);
    // A user changes their own password only with the current one.
    let finance = app.login("finance").await;
    let finance_id = finance.get("/api/auth/me").await.expect(200).body["account_id"]
        .as_str()
        .expect("id")
        .to_owned();
    finance
        .post(
            &format!("/api/accounts/{finance_id}/password"),
            json!({ "password": "new-password-3", "current_password": "wrong" }),
        )
        .await
        .expect(403);
    finance
        .post(
            &format!("/api/accounts/{zunyi_id}/password"),
            json!({ "password": "new-password-3" }),
        )
        .await
        .expect(403);
    // Disabling ends the sessions and refuses sign-in; the change is an event with a reason.
    let province = app.login("province").await;
    let province_id = province.get("/api/auth/me").await.expect(200).body["account_id"]
        .as_str()
        .expect("id")
        .to_owned();
    admin
        .post(
            &format!("/api/accounts/{province_id}/disable-account"),
            json!({}),
        )
        .await
        .expect(422);
    admin
        .post(
            &format!("/api/accounts/{province_id}/disable-account"),
            json!({ "reason": "调岗" }),
        )
        .await
        .expect(200);
    province.get("/api/auth/me").await.expect(401);
    let refused = app
        .anonymous()
        .post(
            "/api/auth/login",
            json!({ "username": "province", "password": PASSWORD }),
        )
        .await
        .expect(401);
    assert_eq!(refused.problem(), "account_disabled");
    let history = admin
        .get(&format!("/api/accounts/{province_id}/history"))
        .await
        .expect(200);
    let events = history.body["events"].as_array().expect("events");
    let last = events.last().expect("event");
    assert_eq!(last["metadata"]["actor_id"], "admin");
    assert_eq!(last["metadata"]["reason"], "调岗");
    // No password or hash ever enters the log.
    let log = admin
        .get("/api/events?category=account&limit=1000")
        .await
        .expect(200);
    let text = log.body.to_string();
    assert!(
        !text.contains(PASSWORD) && !text.contains("argon2"),
        "{text}"
    );
    app.stop().await;
}

async fn expired_tokens_are_refused(engine: Engine) {
    let app = TestApp::spawn_with(engine, |config| {
        config.token_lifetime = std::time::Duration::ZERO
    })
    .await;
    let reply = app
        .anonymous()
        .post(
            "/api/auth/login",
            json!({ "username": "auditor", "password": PASSWORD }),
        )
        .await
        .expect(200);
    let mut client = app.anonymous();
    client.token = Some(reply.body["token"].as_str().expect("token").to_owned());
    assert_eq!(
        client.get("/api/auth/me").await.expect(401).problem(),
        "invalid_token"
    );
    app.stop().await;
}

async fn repeated_failed_sign_ins_are_throttled(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let anonymous = app.anonymous();
    for _ in 0..5 {
        let reply = anonymous
            .post(
                "/api/auth/login",
                json!({ "username": "finance", "password": "guess" }),
            )
            .await
            .expect(401);
        assert_eq!(reply.problem(), "bad_credentials");
    }
    // Even the right password is refused while locked out.
    let reply = anonymous
        .post(
            "/api/auth/login",
            json!({ "username": "finance", "password": PASSWORD }),
        )
        .await
        .expect(429);
    assert_eq!(reply.problem(), "too_many_attempts");
    assert!(reply.headers.get("retry-after").is_some());
    // Other accounts are not affected.
    app.login("auditor").await;
    app.stop().await;
}

crate::on_both!(
    tokens_are_revoked_by_logout_password_change_and_disabling,
    expired_tokens_are_refused,
    repeated_failed_sign_ins_are_throttled,
);
