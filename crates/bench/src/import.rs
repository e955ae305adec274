//! `redmud-import-bench`: the speed of `redmud import-ledger` (issue 8) on SQLite.
//!
//! Makes a fresh SQLite database in a temporary directory, migrates it with the `redmud` binary,
//! adds a Guiyang bureau account, registers `--enterprises` refineries through the command
//! pipeline, writes a ledger CSV of `--months` monthly ledgers per refinery (interleaved month by
//! month, every row balanced), then times the whole `redmud import-ledger` process and a re-run
//! (every row already present). The figures and the command are in docs/benchmarks.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Parser;
use redmud_api::aggregates::{self, CommandRequest, Resource};
use redmud_domain::Enterprise;
use serde_json::json;
use uuid::Uuid;

/// Benchmark of the ledger CSV import.
#[derive(Debug, Parser)]
#[command(name = "redmud-import-bench")]
struct Args {
    /// Refineries in the file.
    #[arg(long, default_value_t = 100)]
    enterprises: usize,
    /// Monthly ledgers per refinery (from 2010-01).
    #[arg(long, default_value_t = 100)]
    months: usize,
    /// Rows in flight (`redmud import-ledger --concurrency`).
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// The `redmud` binary to time (default: the one built next to this benchmark).
    #[arg(long)]
    bin: Option<PathBuf>,
}

const PASSWORD: &str = "import-bench-password";

fn redmud(bin: &Path, database_url: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(bin)
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("REDMUD_PASSWORD", PASSWORD)
        .env("RUST_LOG", "warn")
        .output()
        .with_context(|| format!("run {}", bin.display()))?;
    if !out.status.success() {
        bail!(
            "redmud {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Registers the refineries as `username` through the same pipeline as the HTTP API.
async fn register_refineries(database_url: &str, username: &str, ids: &[Uuid]) -> Result<()> {
    let store = redmud_store::EventStore::open(database_url).await?;
    let app = redmud_api::AppState::new(store.clone(), redmud_api::Config::default());
    let actor = redmud_api::import::actor_by_username(&app, username)
        .await
        .context("the bureau account")?;
    let spec = Enterprise::create_spec();
    for (n, id) in ids.iter().enumerate() {
        let body = json!({
            "enterprise_id": id,
            "name": format!("台账导入基准企业{n}"),
            "uscc": "914403001922038216",
            "region": "520181",
            "kinds": ["alumina_refinery"],
            "registered_on": "2009-01-01",
        });
        let command = aggregates::parse_command::<Enterprise>(spec, body, Some(*id))
            .map_err(|e| anyhow::anyhow!("registration: {e:?}"))?;
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
        .map_err(|e| anyhow::anyhow!("register: {e:?}"))?;
    }
    store.close().await;
    Ok(())
}

/// The CSV: `months` monthly ledgers of each refinery, interleaved month by month; each row
/// balances and takes 10 kg from the stock the earlier rows built.
fn ledger_csv(ids: &[Uuid], months: usize) -> String {
    let mut text = String::from(
        "enterprise,period,generated,utilized_from_new.cement,disposed_from_new,stored_new,utilized_from_stock.road_base\n",
    );
    let mut line = 1u64;
    for month in 0..months {
        let period = format!("{}-{:02}", 2010 + month / 12, month % 12 + 1);
        for id in ids {
            line += 1;
            let generated = 1_000_000 + line;
            let stored = generated - 400_000;
            let from_stock = if month == 0 { "0" } else { "10" };
            text.push_str(&format!(
                "{id},{period},{generated} kg,300,100,{stored} kg,{from_stock}\n"
            ));
        }
    }
    text
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let args = Args::parse();
    let bin = match args.bin {
        Some(bin) => bin,
        None => std::env::current_exe()?
            .parent()
            .context("the benchmark's directory")?
            .join("redmud"),
    };
    let dir = std::env::temp_dir().join(format!("redmud-import-bench-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}?mode=rwc", dir.join("ledger.db").display());
    redmud(&bin, &url, &["migrate"])?;
    redmud(
        &bin,
        &url,
        &[
            "user", "add", "clerk", "--role", "bureau", "--region", "520100",
        ],
    )?;
    let ids: Vec<Uuid> = (0..args.enterprises).map(|_| Uuid::now_v7()).collect();
    register_refineries(&url, "clerk", &ids).await?;
    let rows = args.enterprises * args.months;
    let file = dir.join("ledger.csv");
    std::fs::write(&file, ledger_csv(&ids, args.months))?;
    let path = file.to_str().context("a UTF-8 path")?;
    let concurrency = args.concurrency.to_string();
    let import = [
        "import-ledger",
        path,
        "--as",
        "clerk",
        "--concurrency",
        &concurrency,
    ];

    println!(
        "{} · {rows} rows · concurrency {concurrency}",
        bin.display()
    );
    let started = Instant::now();
    let out = redmud(&bin, &url, &import)?;
    let seconds = started.elapsed().as_secs_f64();
    if !out.contains(&format!("imported: {rows}")) {
        bail!("not every row was imported:\n{out}");
    }
    #[allow(clippy::cast_precision_loss)] // a rate to print
    let rate = rows as f64 / seconds;
    println!("import (whole process, validation included): {seconds:.2} s, {rate:.0} rows/s");
    let started = Instant::now();
    let out = redmud(&bin, &url, &import)?;
    if !out.contains(&format!("already present: {rows}")) {
        bail!("the re-run imported rows again:\n{out}");
    }
    println!(
        "re-run (every row present): {:.2} s",
        started.elapsed().as_secs_f64()
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
