//! `redmud-bench`: the event store's workloads against a raw sqlx baseline, on SQLite and
//! PostgreSQL, with full durability on both (see `docs/benchmarks.md`).
//!
//! Also measures read models (appends with a view row, lookups, lists, rebuild).
//!
//! Prints one line per engine and workload: `engine workload ops seconds ops/s ratio`, then whether
//! each target of issue 2 is met.

mod raw;
mod views;
mod workloads;

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum EngineArg {
    Sqlite,
    Postgres,
    Both,
}

/// Benchmarks the event store against a raw sqlx baseline.
#[derive(Debug, Parser)]
#[command(name = "redmud-bench")]
pub(crate) struct Args {
    /// Which engine(s) to run.
    #[arg(long, value_enum, default_value = "both")]
    engine: EngineArg,
    /// Streams in `seq` and `conc`.
    #[arg(long, default_value_t = 1_000)]
    pub streams: usize,
    /// Commands per stream in `seq` and `conc`.
    #[arg(long, default_value_t = 20)]
    pub commands: usize,
    /// Events in `bulk`.
    #[arg(long, default_value_t = 100_000)]
    pub bulk: usize,
    /// Events per `append_batch` call (and rows per raw multi-row INSERT) in `bulk`.
    #[arg(long, default_value_t = 1_000)]
    pub batch: usize,
    /// Concurrent tasks in `conc`, `contend` and the raw `conc` baseline.
    #[arg(long, default_value_t = 8)]
    pub tasks: usize,
    /// Shared streams in `contend`.
    #[arg(long, default_value_t = 10)]
    pub contend_streams: usize,
    /// PostgreSQL admin URL (a fresh database is created from it and dropped afterwards);
    /// falls back to REDMUD_TEST_DATABASE_URL.
    #[arg(long, env = "REDMUD_BENCH_DATABASE_URL")]
    database_url: Option<String>,
    /// Keep the databases afterwards.
    #[arg(long)]
    keep: bool,
    /// Only the read workloads: append `--log-events` events with `append_batch`, then run
    /// `replay-all` and `verify` `--repeat` times each (no raw baseline, no write workloads).
    #[arg(long)]
    pub verify_only: bool,
    /// Events in the log of `--verify-only` (the usual full run leaves 180,000).
    #[arg(long, default_value_t = 180_000)]
    pub log_events: usize,
    /// Runs of `replay-all` and `verify` in `--verify-only`.
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// One printed line.
#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub engine: &'static str,
    pub workload: &'static str,
    pub ops: u64,
    pub seconds: f64,
    /// Ratio to the baseline named, if any.
    pub ratio: Option<(f64, &'static str)>,
    /// The target and whether it is met.
    pub target: Option<(String, bool)>,
    pub note: String,
}

impl Line {
    pub fn rate(&self) -> f64 {
        self.ops as f64 / self.seconds.max(1e-9)
    }

    pub fn print(&self) {
        let ratio = match self.ratio {
            Some((r, base)) => format!("{r:.2}x({base})"),
            None => "-".to_owned(),
        };
        let target = match &self.target {
            Some((what, met)) => {
                format!("target {what}: {}", if *met { "MET" } else { "MISSED" })
            }
            None => String::new(),
        };
        println!(
            "{:<8} {:<11} {:>7} {:>8.3} {:>11.1} {:<18} {} {}",
            self.engine,
            self.workload,
            self.ops,
            self.seconds,
            self.rate(),
            ratio,
            target,
            self.note
        );
    }
}

fn main() -> Result<()> {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> Result<()> {
    if args.streams == 0 || args.commands == 0 || args.tasks == 0 || args.batch == 0 {
        bail!("--streams, --commands, --tasks and --batch must be positive");
    }
    let engines: &[Engine] = match args.engine {
        EngineArg::Sqlite => &[Engine::Sqlite],
        EngineArg::Postgres => &[Engine::Postgres],
        EngineArg::Both => &[Engine::Sqlite, Engine::Postgres],
    };
    println!(
        "# redmud-bench: streams={} commands={} tasks={} contend_streams={} bulk={} batch={}",
        args.streams, args.commands, args.tasks, args.contend_streams, args.bulk, args.batch
    );
    println!("# engine workload        ops  seconds       ops/s ratio-to-baseline  target");
    let mut all = Vec::new();
    for &engine in engines {
        let target = Target::create(engine, &args).await?;
        let result = if args.verify_only {
            workloads::bench_verify_only(engine, &target.store_url, &args).await
        } else {
            workloads::bench_engine(engine, &target.store_url, &target.raw_url, &args).await
        };
        if args.keep {
            eprintln!("kept: {} and {}", target.store_url, target.raw_url);
        } else {
            target.drop_all().await;
        }
        all.extend(result?);
    }
    println!();
    println!("| engine | workload | ops | seconds | ops/s | ratio | target | met |");
    println!("|---|---|---:|---:|---:|---:|---|---|");
    for line in &all {
        let ratio = line
            .ratio
            .map_or("–".to_owned(), |(r, base)| format!("{r:.2}× {base}"));
        let (target, met) = match &line.target {
            Some((what, met)) => (what.clone(), if *met { "yes" } else { "**no**" }),
            None => (String::new(), ""),
        };
        println!(
            "| {} | {} | {} | {:.3} | {:.0} | {} | {} | {} |{}",
            line.engine,
            line.workload,
            line.ops,
            line.seconds,
            line.rate(),
            ratio,
            target,
            met,
            if line.note.is_empty() {
                String::new()
            } else {
                format!(" {}", line.note)
            }
        );
    }
    let missed = all
        .iter()
        .filter(|l| matches!(l.target, Some((_, false))))
        .count();
    let total = all.iter().filter(|l| l.target.is_some()).count();
    println!();
    println!("targets met: {}/{total}", total - missed);
    Ok(())
}

/// The fresh databases of one engine: the store's and the raw baseline's.
struct Target {
    engine: Engine,
    store_url: String,
    raw_url: String,
    admin_url: Option<String>,
    names: Vec<String>,
}

impl Target {
    async fn create(engine: Engine, args: &Args) -> Result<Self> {
        let id = uuid::Uuid::now_v7().simple().to_string();
        match engine {
            Engine::Sqlite => {
                let dir = std::env::temp_dir();
                let store = dir.join(format!("redmud_bench_{id}.db"));
                let raw = dir.join(format!("redmud_bench_raw_{id}.db"));
                Ok(Self {
                    engine,
                    store_url: format!("sqlite:{}", store.display()),
                    raw_url: format!("sqlite:{}", raw.display()),
                    admin_url: None,
                    names: vec![store.display().to_string(), raw.display().to_string()],
                })
            }
            Engine::Postgres => {
                use sqlx::Connection;
                let admin = args
                    .database_url
                    .clone()
                    .or_else(|| std::env::var("REDMUD_TEST_DATABASE_URL").ok())
                    .context(
                        "PostgreSQL needs REDMUD_BENCH_DATABASE_URL (or REDMUD_TEST_DATABASE_URL, \
                         or --database-url): an admin URL that may CREATE DATABASE",
                    )?;
                let (server, _) = admin
                    .rsplit_once('/')
                    .context("the PostgreSQL URL has no database part")?;
                let names = vec![
                    format!("redmud_bench_{id}"),
                    format!("redmud_bench_raw_{id}"),
                ];
                let mut conn = sqlx::PgConnection::connect(&admin).await.with_context(|| {
                    format!(
                        "cannot reach PostgreSQL at {}",
                        redmud_store::redact(&admin)
                    )
                })?;
                for name in &names {
                    sqlx::query(&format!("CREATE DATABASE {name}"))
                        .execute(&mut conn)
                        .await?;
                }
                conn.close().await?;
                Ok(Self {
                    engine,
                    store_url: format!("{server}/{}", names[0]),
                    raw_url: format!("{server}/{}", names[1]),
                    admin_url: Some(admin),
                    names,
                })
            }
        }
    }

    async fn drop_all(&self) {
        match self.engine {
            Engine::Sqlite => {
                for file in &self.names {
                    for suffix in ["", "-wal", "-shm"] {
                        let _ = std::fs::remove_file(format!("{file}{suffix}"));
                    }
                }
            }
            Engine::Postgres => {
                use sqlx::Connection;
                let Some(admin) = &self.admin_url else { return };
                let Ok(mut conn) = sqlx::PgConnection::connect(admin).await else {
                    return;
                };
                for name in &self.names {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    if let Err(e) = sqlx::query(&sql).execute(&mut conn).await {
                        eprintln!("could not drop {name}: {e}");
                    }
                }
                let _ = conn.close().await;
            }
        }
    }
}
