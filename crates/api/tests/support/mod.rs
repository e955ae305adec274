//! The real `redmud` binary as a separate process, for the tests that need one: crash safety
//! (SIGKILL) and several nodes on one database.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};

use serde_json::{Value, json};

/// The password of every account the tests create.
pub const PASSWORD: &str = "process-test-password";

/// The running server process.
pub struct Server {
    child: Child,
    pub url: String,
    /// Kept open: the server must never write into a closed pipe.
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    /// Starts `redmud serve` on a free port and waits for its "serving on" line.
    pub fn start(database_url: &str, key: &std::path::Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_redmud"))
            .args(["serve", "--addr", "127.0.0.1:0", "--audit-key"])
            .arg(key)
            .env("DATABASE_URL", database_url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start redmud serve");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read the serving line");
        let url = line
            .trim()
            .rsplit(' ')
            .next()
            .filter(|url| url.starts_with("http://"))
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_owned();
        Self {
            child,
            url,
            _stdout: stdout,
        }
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Server {
    /// A failing test leaves no server behind.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn redmud(database_url: &str, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_redmud"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("REDMUD_PASSWORD", PASSWORD)
        .output()
        .expect("run redmud");
    assert!(
        out.status.success(),
        "redmud {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub async fn login(http: &reqwest::Client, url: &str, username: &str) -> String {
    let reply: Value = http
        .post(format!("{url}/api/auth/login"))
        .json(&json!({ "username": username, "password": PASSWORD }))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login body");
    reply["token"].as_str().expect("token").to_owned()
}

/// A registration of enterprise `id` in Guiyang (520181).
pub fn registration(id: &str, name: &str) -> Value {
    json!({
        "enterprise_id": id,
        "name": name,
        "uscc": "914403001922038216",
        "region": "520181",
        "kinds": ["alumina_refinery"],
        "registered_on": "2025-01-01",
    })
}

/// Runs `redmud` to completion and returns what it printed, whatever its exit status.
pub fn redmud_output(database_url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_redmud"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run redmud")
}

/// An enterprise to register: id, unified social credit code, county.
pub type Registration<'a> = (uuid::Uuid, &'a str, &'a str);

/// Registers alumina refineries as `username`, through the command pipeline in this process (no
/// server needed).
pub async fn register_refineries(
    database_url: &str,
    username: &str,
    enterprises: &[Registration<'_>],
) {
    use redmud_api::aggregates::{self, CommandRequest, Resource};
    use redmud_domain::Enterprise;
    let store = redmud_store::EventStore::open(database_url)
        .await
        .expect("open");
    let app = redmud_api::AppState::new(store.clone(), redmud_api::Config::default());
    let actor = redmud_api::import::actor_by_username(&app, username)
        .await
        .expect("actor");
    let spec = Enterprise::create_spec();
    for (n, (id, uscc, region)) in enterprises.iter().enumerate() {
        let body = json!({
            "enterprise_id": id,
            "name": format!("台账导入测试企业{n}"),
            "uscc": uscc,
            "region": region,
            "kinds": ["alumina_refinery"],
            "registered_on": "2014-01-01",
        });
        let command =
            aggregates::parse_command::<Enterprise>(spec, body, Some(*id)).expect("registration");
        aggregates::execute::<Enterprise>(
            &app,
            &actor,
            spec,
            *id,
            &command,
            &CommandRequest::default(),
            None,
        )
        .await
        .expect("register");
    }
    store.close().await;
}

/// A generated ledger CSV: `months` monthly ledgers (from 2010-01) of each enterprise, by id,
/// interleaved month by month (the first rows touch every enterprise). Each row balances and
/// takes 10 t from a stock it has built; `generated` differs per row (1000 t + the row number in
/// kg) so each row's figures can be recognised. Returns the text and, per row, (enterprise,
/// period, generated kg, line).
pub fn ledger_csv(
    ids: &[uuid::Uuid],
    months: usize,
) -> (String, Vec<(uuid::Uuid, String, u64, usize)>) {
    let mut text = String::from(
        "enterprise,period,generated,utilized_from_new.cement,disposed_from_new,stored_new,utilized_from_stock.road_base\n",
    );
    let mut rows = Vec::with_capacity(ids.len() * months);
    for month in 0..months {
        let period = format!("{}-{:02}", 2010 + month / 12, month % 12 + 1);
        for id in ids {
            let line = rows.len() + 2;
            let generated = 1_000_000 + line as u64;
            let stored = generated - 400_000;
            let from_stock = if month == 0 { "0" } else { "10" };
            text.push_str(&format!(
                "{id},{period},{generated} kg,300,100,{stored} kg,{from_stock}\n"
            ));
            rows.push((*id, period.clone(), generated, line));
        }
    }
    (text, rows)
}
