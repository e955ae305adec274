//! The OpenAPI document covers every route, and every route it lists exists.

use redmud_api::aggregates::Resource;
use redmud_domain::account::Account;
use redmud_domain::{Base, Enterprise, Project, RegionalPlan};
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::common::Engine;
use crate::harness::TestApp;

fn expected_paths<R: Resource>(paths: &mut Vec<(String, &'static str)>)
where
    R::Command: DeserializeOwned + Serialize,
    R::Error: Serialize,
{
    let base = format!("/api/{}", R::COLLECTION);
    paths.push((base.clone(), "get"));
    paths.push((base.clone(), "post"));
    paths.push((format!("{base}/{{id}}"), "get"));
    paths.push((format!("{base}/{{id}}/history"), "get"));
    for spec in &R::COMMANDS[1..] {
        paths.push((format!("{base}/{{id}}/{}", spec.segment()), "post"));
    }
}

async fn the_document_and_the_routes_agree(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let anonymous = app.anonymous();
    let document = anonymous.get("/api/openapi.json").await.expect(200).body;
    assert_eq!(document["openapi"], "3.1.0");
    let mut expected = Vec::new();
    expected_paths::<Enterprise>(&mut expected);
    expected_paths::<Project>(&mut expected);
    expected_paths::<Base>(&mut expected);
    expected_paths::<RegionalPlan>(&mut expected);
    expected_paths::<Account>(&mut expected);
    for path in [
        "/api/auth/login",
        "/api/auth/logout",
        "/api/auth/me",
        "/api/accounts/{id}/password",
        "/api/events",
        "/api/events/stream",
        "/health",
        "/metrics",
        "/api/openapi.json",
        "/api/docs",
        "/api/audit/verify",
        "/api/audit/checkpoints",
        "/api/audit/export",
    ] {
        assert!(document["paths"][path].is_object(), "{path} documented");
    }
    for (path, method) in &expected {
        let operation = &document["paths"][path][*method];
        assert!(operation.is_object(), "{method} {path} documented");
        assert!(
            operation["responses"].is_object(),
            "{method} {path} has responses"
        );
    }
    // Every documented operation exists: without a token it answers anything but a route 404.
    let nil = "00000000-0000-7000-8000-000000000000";
    let mut operations = 0;
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            let url = path.replace("{id}", nil);
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let body = (method == Method::POST).then(|| json!({}));
            let reply = anonymous.send(method.clone(), &url, body, &[]).await;
            let route_missing = reply.status == 404
                && reply.body["detail"]
                    .as_str()
                    .is_some_and(|d| d.starts_with("route "));
            assert!(
                !route_missing,
                "{method} {path} is documented but not routed"
            );
            assert_ne!(
                reply.status.as_u16(),
                500,
                "{method} {path}: {:#}",
                reply.body
            );
            operations += 1;
        }
    }
    assert!(operations >= expected.len());
    // Every schema reference resolves.
    let text = document.to_string();
    let schemas = document["components"]["schemas"]
        .as_object()
        .expect("schemas");
    for reference in text.split("\"$ref\":\"").skip(1) {
        let target = reference.split('"').next().expect("ref");
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("local ref: {target}"));
        assert!(schemas.contains_key(name), "{target} resolves");
    }
    // The docs page is served.
    let docs = anonymous.get("/api/docs").await.expect(200);
    assert!(matches!(docs.body, Value::String(ref html) if html.contains("openapi.json")));
    app.stop().await;
}

crate::on_both!(the_document_and_the_routes_agree);
