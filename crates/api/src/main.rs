//! `redmud`: the Red Mud Ledger server and command-line tool.

use anyhow::Context;
use clap::{Parser, Subcommand};
use redmud_store::{EventStore, redact};

#[derive(Debug, Parser)]
#[command(
    name = "redmud",
    version,
    about = "Red Mud Ledger (赤泥台账): the system of record of Guizhou's red mud action plan"
)]
struct Cli {
    /// Database: `sqlite:PATH` (created if missing) or `postgres://USER:PASSWORD@HOST/DB`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite:redmud.db",
        global = true
    )]
    database_url: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the database if needed and apply pending migrations.
    Migrate,
    /// Walk the hash chain and report the first event that does not match (exit 1 when broken).
    Verify,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let url = redact(&cli.database_url);
    match cli.command {
        Command::Migrate => {
            let store = EventStore::open(&cli.database_url)
                .await
                .with_context(|| format!("cannot migrate {url}"))?;
            let head = store.head().await?;
            println!(
                "{url}: migrated ({} engine, {} events)",
                store.engine_name(),
                head.position
            );
        }
        Command::Verify => {
            let store = EventStore::connect(&cli.database_url)
                .await
                .with_context(|| format!("cannot open {url}"))?;
            let report = store.verify().await?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            store.close().await;
            if !report.is_intact() {
                std::process::exit(1);
            }
        }
    }
    Ok(())
}
