//! `redmud-http-bench`: HTTP throughput and latency of `redmud serve` for a read and a command.
//!
//! Starts the real server in this process on a fresh SQLite file (or a fresh PostgreSQL database),
//! registers enterprises over HTTP, then for a fixed time keeps `--connections` keep-alive
//! connections busy with (1) `GET /api/enterprises/{id}` and (2) `POST …/{id}/amend` (a command:
//! read state, decide, append one event and its read-model row, durably). Prints requests/s,
//! latency percentiles and (on Linux) the CPU time a request took, by thread; the client is a
//! minimal HTTP/1.1 writer/reader so that the measurement is the server's, not a client
//! library's.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};
use redmud_api::config::Config;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum EngineArg {
    Sqlite,
    Postgres,
}

/// HTTP benchmark of the Red Mud Ledger server.
#[derive(Debug, Parser)]
#[command(name = "redmud-http-bench")]
struct Args {
    #[arg(long, value_enum, default_value = "sqlite")]
    engine: EngineArg,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Seconds per workload.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// HTTP worker threads of the server (0: one per core, the server's default).
    #[arg(long, default_value_t = 0)]
    workers: usize,
    /// After the two workloads, a soak: commands for this many seconds (0: none), in 10-second
    /// windows, each reported with the process's resident memory (server and client share it).
    #[arg(long, default_value_t = 0)]
    soak: u64,
    /// Seconds of commands before the soak's memory baseline is taken: long enough for the
    /// SQLite connections' page caches (bounded: `cache_size` × connections) to fill.
    #[arg(long, default_value_t = 30)]
    warmup: u64,
    /// Enterprises to spread the load over.
    #[arg(long, default_value_t = 256)]
    enterprises: usize,
    /// PostgreSQL admin URL for `--engine postgres` (a fresh database is created from it).
    #[arg(long, env = "REDMUD_BENCH_DATABASE_URL")]
    database_url: Option<String>,
}

/// One keep-alive connection speaking just enough HTTP/1.1.
struct Conn {
    reader: BufReader<TcpStream>,
    host: String,
    token: String,
}

impl Conn {
    async fn open(addr: &str, token: &str) -> Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            reader: BufReader::new(stream),
            host: addr.to_owned(),
            token: token.to_owned(),
        })
    }

    /// Sends a request and reads the whole response: (status, body).
    async fn request(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> Result<(u16, Vec<u8>)> {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n",
            self.host, self.token
        );
        if let Some(body) = body {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        if let Some(body) = body {
            head.push_str(body);
        }
        self.reader.get_mut().write_all(head.as_bytes()).await?;
        let mut line = String::new();
        self.reader.read_line(&mut line).await?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .context("no status line")?
            .parse()?;
        let mut length = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line).await?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse()?;
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).await?;
        Ok((status, body))
    }
}

struct Outcome {
    requests: u64,
    errors: u64,
    latencies: Vec<Duration>,
    elapsed: Duration,
    /// CPU time of this process's threads during the run, by thread name (Linux only).
    cpu: Option<BTreeMap<String, Duration>>,
}

/// CPU time (user + system) of this process's threads so far, summed by thread name with the
/// digits at its end dropped (`actix-server worker 0` and `… 1` are one entry; the kernel keeps 15
/// bytes of a name). `None` where there is no `/proc/self/task` (not Linux).
fn thread_cpu() -> Option<BTreeMap<String, Duration>> {
    // `/proc` counts in ticks of USER_HZ, which is 100 per second on Linux.
    const TICK: Duration = Duration::from_millis(10);
    let mut threads = BTreeMap::new();
    for entry in std::fs::read_dir("/proc/self/task").ok()? {
        let Ok(stat) = std::fs::read_to_string(entry.ok()?.path().join("stat")) else {
            // The thread ended meanwhile.
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let name = stat.get(open + 1..close).unwrap_or_default();
        let name = name
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .trim_end();
        // After the name: state, ppid, … ; utime and stime are the 12th and 13th of those.
        let fields: Vec<&str> = stat.get(close + 1..)?.split_whitespace().collect();
        let ticks = fields.get(11)?.parse::<u32>().ok()? + fields.get(12)?.parse::<u32>().ok()?;
        *threads.entry(name.to_owned()).or_insert(Duration::ZERO) += TICK * ticks;
    }
    Some(threads)
}

/// CPU used by each thread name between two [`thread_cpu`] readings.
fn cpu_between(
    before: Option<BTreeMap<String, Duration>>,
    after: Option<BTreeMap<String, Duration>>,
) -> Option<BTreeMap<String, Duration>> {
    let (before, after) = (before?, after?);
    Some(
        after
            .into_iter()
            .map(|(name, used)| {
                let earlier = before.get(&name).copied().unwrap_or_default();
                (name, used.saturating_sub(earlier))
            })
            .collect(),
    )
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn report(engine: &str, workload: &str, connections: usize, outcome: &mut Outcome) {
    outcome.latencies.sort_unstable();
    let rate = outcome.requests as f64 / outcome.elapsed.as_secs_f64();
    println!(
        "{engine:<8} {workload:<8} conns={connections:<3} requests={:<8} errors={:<4} {:>9.0} req/s  p50={:>6.2} ms  p99={:>6.2} ms  max={:>7.2} ms",
        outcome.requests,
        outcome.errors,
        rate,
        percentile(&outcome.latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&outcome.latencies, 0.99).as_secs_f64() * 1e3,
        outcome
            .latencies
            .last()
            .copied()
            .unwrap_or_default()
            .as_secs_f64()
            * 1e3,
    );
    // CPU per request: the server's threads and the client's (the client's tasks share the
    // Tokio workers with the store's writer task), busiest first.
    if let Some(cpu) = &outcome.cpu
        && outcome.requests > 0
    {
        let per_request = |used: Duration| used.as_secs_f64() * 1e6 / outcome.requests as f64;
        let total: Duration = cpu.values().sum();
        let mut threads: Vec<(&String, &Duration)> = cpu.iter().collect();
        threads.sort_by(|a, b| b.1.cmp(a.1));
        let threads: Vec<String> = threads
            .iter()
            .filter(|(_, used)| per_request(**used) >= 1.0)
            .map(|(name, used)| format!("{name} {:.0}", per_request(**used)))
            .collect();
        println!(
            "{engine:<8} {workload:<8} cpu: {:.0} µs a request, {:.2} cores busy ({})",
            per_request(total),
            total.as_secs_f64() / outcome.elapsed.as_secs_f64(),
            threads.join(", "),
        );
    }
}

/// Runs `make(conn_index, i)` → (method, path, body) on every connection for `seconds`.
async fn drive<F>(
    addr: &str,
    token: &str,
    connections: usize,
    seconds: u64,
    make: F,
) -> Result<Outcome>
where
    F: Fn(usize, u64) -> (&'static str, String, Option<String>) + Send + Sync + Clone + 'static,
{
    let mut conns = Vec::with_capacity(connections);
    for _ in 0..connections {
        conns.push(Conn::open(addr, token).await?);
    }
    let cpu_before = thread_cpu();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (c, mut conn) in conns.into_iter().enumerate() {
        let make = make.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut i = 0u64;
            while Instant::now() < deadline {
                let (method, path, body) = make(c, i);
                let sent = Instant::now();
                let (status, _) = conn.request(method, &path, body.as_deref()).await?;
                latencies.push(sent.elapsed());
                if status >= 300 {
                    errors += 1;
                }
                i += 1;
            }
            Ok::<_, anyhow::Error>((latencies, errors))
        }));
    }
    let mut outcome = Outcome {
        requests: 0,
        errors: 0,
        latencies: Vec::new(),
        elapsed: Duration::ZERO,
        cpu: None,
    };
    for task in tasks {
        let (latencies, errors) = task.await??;
        outcome.requests += latencies.len() as u64;
        outcome.errors += errors;
        outcome.latencies.extend(latencies);
    }
    outcome.elapsed = started.elapsed();
    outcome.cpu = cpu_between(cpu_before, thread_cpu());
    Ok(outcome)
}

async fn fresh_postgres(admin_url: &str) -> Result<String> {
    use sqlx::Connection;
    let name = format!("redmud_http_bench_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(admin_url).await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await?;
    let (server, _) = admin_url
        .rsplit_once('/')
        .context("URL without a database")?;
    Ok(format!("{server}/{name}"))
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let (engine, url, file) = match args.engine {
        EngineArg::Sqlite => {
            let file =
                std::env::temp_dir().join(format!("redmud_http_bench_{}.db", uuid::Uuid::now_v7()));
            ("sqlite", format!("sqlite:{}", file.display()), Some(file))
        }
        EngineArg::Postgres => {
            let Some(admin) = args.database_url.as_deref() else {
                bail!("--engine postgres needs --database-url or REDMUD_BENCH_DATABASE_URL");
            };
            ("postgres", fresh_postgres(admin).await?, None)
        }
    };
    let config = Config {
        database_url: url,
        addr: "127.0.0.1:0".parse()?,
        max_connections: 16,
        workers: args.workers,
        ..Config::default()
    };
    let server = redmud_api::start(config).await?;
    let addr = server.addr.to_string();
    let app = server.state.clone();
    let password = "bench-password-1".to_owned();
    redmud_api::accounts::add(
        &app,
        redmud_api::accounts::NewAccount {
            username: "bench".into(),
            display_name: "bench".into(),
            organisation: None,
            role: "province".into(),
            region: None,
            password: password.clone(),
        },
    )
    .await?;
    let login = reqwest_free_login(&addr, "bench", &password).await?;
    let mut setup = Conn::open(&addr, &login).await?;
    let mut ids = Vec::new();
    for n in 0..args.enterprises {
        let body = json!({
            "name": format!("基准企业{n}"),
            "uscc": USCCS[n % USCCS.len()],
            "region": "520181",
            "kinds": ["red_mud_utilizer"],
            "registered_on": "2025-01-10",
        })
        .to_string();
        let (status, body) = setup
            .request("POST", "/api/enterprises", Some(&body))
            .await?;
        if status != 201 {
            bail!(
                "register failed: {status} {}",
                String::from_utf8_lossy(&body)
            );
        }
        let created: Value = serde_json::from_slice(&body)?;
        ids.push(created["id"].as_str().context("id")?.to_owned());
    }
    let ids = std::sync::Arc::new(ids);
    let reads = {
        let ids = ids.clone();
        drive(
            &addr,
            &login,
            args.connections,
            args.seconds,
            move |c, i| {
                let id = &ids[(c * 7 + i as usize) % ids.len()];
                ("GET", format!("/api/enterprises/{id}"), None)
            },
        )
        .await?
    };
    let mut reads = reads;
    report(engine, "read", args.connections, &mut reads);
    let commands = {
        let ids = ids.clone();
        drive(
            &addr,
            &login,
            args.connections,
            args.seconds,
            move |c, i| {
                // Each connection owns its enterprises, so commands do not conflict.
                let per = ids.len() / args.connections.max(1);
                let id = &ids[(c * per.max(1) + (i as usize % per.max(1))) % ids.len()];
                let body =
                    json!({ "name": format!("基准企业 c{c} n{i}"), "amended_on": "2025-06-01" })
                        .to_string();
                ("POST", format!("/api/enterprises/{id}/amend"), Some(body))
            },
        )
        .await?
    };
    let mut commands = commands;
    report(engine, "command", args.connections, &mut commands);
    if args.soak > 0 {
        soak(engine, &addr, &login, &args, ids.clone()).await?;
    }
    server.stop().await?;
    if let Some(file) = file {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
    }
    Ok(())
}

/// The resident set size of this process in KiB (Linux), `None` elsewhere.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Sustained commands in 10-second windows: `--warmup` seconds, then the memory baseline, then
/// `--soak` seconds; memory at the end against the baseline, and errors over the whole run.
async fn soak(
    engine: &str,
    addr: &str,
    login: &str,
    args: &Args,
    ids: std::sync::Arc<Vec<String>>,
) -> Result<()> {
    const WINDOW: u64 = 10;
    let connections = args.connections;
    let warmup_windows = args.warmup.div_ceil(WINDOW);
    let windows = warmup_windows + args.soak.div_ceil(WINDOW);
    let mut warm = None;
    let mut errors = 0;
    let mut requests = 0;
    for window in 0..windows {
        let ids = ids.clone();
        let mut outcome = drive(addr, login, connections, WINDOW, move |c, i| {
            let per = (ids.len() / connections.max(1)).max(1);
            let id = &ids[(c * per + (i as usize % per)) % ids.len()];
            let body =
                json!({ "name": format!("浸泡 w{window} c{c} n{i}"), "amended_on": "2025-06-01" })
                    .to_string();
            ("POST", format!("/api/enterprises/{id}/amend"), Some(body))
        })
        .await?;
        errors += outcome.errors;
        requests += outcome.requests;
        let rss = rss_kib().unwrap_or(0);
        if window + 1 >= warmup_windows {
            warm.get_or_insert(rss);
        }
        report(
            engine,
            &format!("soak{:>3}s", (window + 1) * WINDOW),
            connections,
            &mut outcome,
        );
        println!("{engine:<8} soak      rss={:.1} MiB", rss as f64 / 1024.0);
    }
    let end = rss_kib().unwrap_or(0);
    let warm = warm.unwrap_or(end).max(1);
    println!(
        "{engine:<8} soak      {} s after {} s of warm-up, {requests} commands, {errors} errors, rss after warm-up {:.1} MiB, at the end {:.1} MiB ({:+.1} %)",
        (windows - warmup_windows) * WINDOW,
        warmup_windows * WINDOW,
        warm as f64 / 1024.0,
        end as f64 / 1024.0,
        (end as f64 / warm as f64 - 1.0) * 100.0
    );
    Ok(())
}

async fn reqwest_free_login(addr: &str, username: &str, password: &str) -> Result<String> {
    let mut conn = Conn::open(addr, "none").await?;
    let body = json!({ "username": username, "password": password }).to_string();
    let (status, body) = conn.request("POST", "/api/auth/login", Some(&body)).await?;
    if status != 200 {
        bail!("login failed: {status} {}", String::from_utf8_lossy(&body));
    }
    let login: Value = serde_json::from_slice(&body)?;
    Ok(login["token"].as_str().context("token")?.to_owned())
}

/// Valid unified social credit codes (GB 32100 check characters).
const USCCS: &[&str] = &["914403001922038216"];
