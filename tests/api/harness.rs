//! `TestApp`: a server on port 0 over a fresh database, with one account per role.

#![allow(dead_code)]

use std::time::Duration;

use redmud_api::config::Config;
use redmud_api::{RunningServer, accounts};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{Engine, TestDb};

/// The password of every test account.
pub const PASSWORD: &str = "test-password-1";

/// A running server over a fresh database.
pub struct TestApp {
    pub server: RunningServer,
    pub url: String,
    pub http: reqwest::Client,
    pub db: TestDb,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    /// Panics unless the status is `expected`, showing the body.
    #[track_caller]
    pub fn expect(self, expected: u16) -> Self {
        assert_eq!(
            self.status.as_u16(),
            expected,
            "unexpected status; body: {:#}",
            self.body
        );
        self
    }

    /// The problem `code` of an error reply (and checks it is problem+json).
    #[track_caller]
    pub fn problem(&self) -> &str {
        assert_eq!(
            self.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/problem+json"),
            "errors are problem+json: {:#}",
            self.body
        );
        self.body["code"].as_str().expect("problem code")
    }

    pub fn etag(&self) -> &str {
        self.headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .expect("ETag")
    }

    pub fn id(&self) -> String {
        self.body["id"].as_str().expect("id").to_owned()
    }
}

/// A signed-in client.
#[derive(Clone)]
pub struct Client {
    pub url: String,
    pub http: reqwest::Client,
    pub token: Option<String>,
}

impl Client {
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self.http.request(method, format!("{}{path}", self.url));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("body read");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None, &[]).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(body), &[]).await
    }

    pub async fn post_with(&self, path: &str, body: Value, headers: &[(&str, &str)]) -> Reply {
        self.send(Method::POST, path, Some(body), headers).await
    }

    /// Posts raw bytes with a content type.
    pub async fn post_raw(&self, path: &str, body: Vec<u8>) -> Reply {
        let mut request = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/json")
            .body(body);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("body read");
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
        }
    }
}

/// The test accounts: (username, role, region).
pub const ACCOUNTS: &[(&str, &str, Option<&str>)] = &[
    ("admin", "admin", None),
    ("province", "province", None),
    ("guiyang", "bureau", Some("520100")),
    ("zunyi", "bureau", Some("520300")),
    ("finance", "finance", None),
    ("auditor", "auditor", None),
];

impl TestApp {
    pub async fn spawn(engine: Engine) -> Self {
        Self::spawn_with(engine, |_| {}).await
    }

    pub async fn spawn_with(engine: Engine, configure: impl FnOnce(&mut Config)) -> Self {
        let app = Self::spawn_bare(engine, configure).await;
        for (username, role, region) in ACCOUNTS {
            accounts::add(
                &app.server.state,
                accounts::NewAccount {
                    username: (*username).to_owned(),
                    display_name: format!("测试 {username}"),
                    organisation: None,
                    role: (*role).to_owned(),
                    region: region.map(str::to_owned),
                    password: PASSWORD.to_owned(),
                },
            )
            .await
            .expect("test account created");
        }
        app
    }

    /// A server without the test accounts.
    pub async fn spawn_bare(engine: Engine, configure: impl FnOnce(&mut Config)) -> Self {
        let db = TestDb::new(engine).await;
        let mut config = Config {
            database_url: db.url.clone(),
            addr: "127.0.0.1:0".parse().expect("addr"),
            workers: 2,
            max_connections: 8,
            audit_key_path: Some(
                std::env::temp_dir()
                    .join(format!("redmud-test-{}.audit-key", uuid::Uuid::now_v7())),
            ),
            ..Config::default()
        };
        configure(&mut config);
        let server = redmud_api::start(config).await.expect("server starts");
        let url = server.url();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            // The server closes a keep-alive connection idle for 5 s (actix-web's default); a
            // request sent on one at that moment fails with `IncompleteMessage`. Idle
            // connections are dropped here well before that.
            .pool_idle_timeout(Duration::from_secs(2))
            .build()
            .expect("client");
        Self {
            server,
            url,
            http,
            db,
        }
    }

    /// A client without a token.
    pub fn anonymous(&self) -> Client {
        Client {
            url: self.url.clone(),
            http: self.http.clone(),
            token: None,
        }
    }

    /// A client signed in as `username` (password [`PASSWORD`]).
    pub async fn login(&self, username: &str) -> Client {
        self.login_with(username, PASSWORD).await
    }

    /// A client signed in with a password.
    pub async fn login_with(&self, username: &str, password: &str) -> Client {
        let reply = self
            .anonymous()
            .post(
                "/api/auth/login",
                json!({ "username": username, "password": password }),
            )
            .await
            .expect(200);
        Client {
            url: self.url.clone(),
            http: self.http.clone(),
            token: Some(reply.body["token"].as_str().expect("token").to_owned()),
        }
    }

    pub async fn stop(self) {
        self.server.stop().await.expect("graceful stop");
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters (for query values and path
/// segments).
pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A valid USCC (GB 32100 check character).
pub const USCC: &str = "914403001922038216";

/// A registration body for an enterprise in `region`.
pub fn enterprise(name: &str, region: &str) -> Value {
    json!({
        "name": name,
        "uscc": USCC,
        "region": region,
        "kinds": ["alumina_refinery"],
        "registered_on": "2025-01-10",
    })
}

/// Ledger figures (routes with zero are left out: the API refuses them as unknown fields).
pub fn figures(
    generated: u64,
    cement: u64,
    backfill: u64,
    disposed: u64,
    from_stock: u64,
) -> Value {
    let mut from_new = serde_json::Map::new();
    for (route, kg) in [("cement", cement), ("mine_backfill", backfill)] {
        if kg > 0 {
            from_new.insert(route.to_owned(), json!(kg));
        }
    }
    let from_stock = if from_stock > 0 {
        json!({ "road_base": from_stock })
    } else {
        json!({})
    };
    json!({
        "generated": generated,
        "utilized_from_new": from_new,
        "disposed_from_new": disposed,
        "stored_new": generated - cement - backfill - disposed,
        "utilized_from_stock": from_stock,
        "disposed_from_stock": 0,
    })
}

/// Registers an enterprise in `region` as `client`; its id.
pub async fn register(client: &Client, name: &str, region: &str) -> String {
    client
        .post("/api/enterprises", enterprise(name, region))
        .await
        .expect(201)
        .id()
}

/// Instantiates each listed async test once per engine.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Engine::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Engine::Postgres).await
                }
            )*
        }
    };
}
