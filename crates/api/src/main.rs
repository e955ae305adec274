//! `redmud`: the Red Mud Ledger server and command-line tool.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use redmud_api::config::{Config, FileConfig, Overrides};
use redmud_api::{AppState, accounts};
use redmud_store::{EventStore, redact};

#[derive(Debug, Parser)]
#[command(
    name = "redmud",
    version,
    about = "Red Mud Ledger (赤泥台账): the system of record of Guizhou's red mud action plan"
)]
struct Cli {
    /// Database: `sqlite:PATH` (created if missing) or `postgres://USER:PASSWORD@HOST/DB`
    /// [default: sqlite:redmud.db, or the configuration file's].
    #[arg(long, env = "DATABASE_URL", global = true)]
    database_url: Option<String>,

    /// A TOML configuration file (keys: database_url, addr, demo, token_lifetime_minutes,
    /// max_body_bytes, workers, max_connections, static_dir, audit_key_path, checkpoint_every).
    #[arg(long, env = "REDMUD_CONFIG", global = true)]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API (migrations are applied first).
    Serve(ServeArgs),
    /// Create the database if needed and apply pending migrations.
    Migrate,
    /// Walk the hash chain (or a range) and report the first event that does not match (exit 1
    /// when broken). Progress goes to stderr.
    Verify(VerifyArgs),
    /// Write an evidence bundle of events FROM..=TO (NDJSON with hashes, signed checkpoints, the
    /// public key and a manifest; docs/evidence-bundle.md). Signs checkpoints at FROM-1 and TO.
    Export(ExportArgs),
    /// Check an evidence bundle offline (exit 1 when it fails).
    VerifyBundle(VerifyBundleArgs),
    /// Recompute every read model from the event log.
    Rebuild,
    /// Write a consistent copy of the live database (SQLite: `VACUUM INTO`, verified before it is
    /// named FILE; PostgreSQL: `pg_dump --format=custom`). Safe while the server runs.
    Backup {
        /// The backup file to create (must not exist).
        file: PathBuf,
    },
    /// Restore a backup into the configured database (empty or, with --force, a SQLite file to
    /// replace; stop the server first), then verify the chain and the read models.
    Restore {
        /// A file written by `redmud backup`.
        file: PathBuf,
        /// Replace an existing SQLite database file.
        #[arg(long)]
        force: bool,
    },
    /// Manage accounts (the first administrator of a new installation is created here).
    #[command(subcommand)]
    User(UserCommand),
    /// Import enterprise ledgers from a CSV file (one row: an enterprise's ledger for a period;
    /// docs/operations.md). The whole file is validated first; with any bad row nothing is
    /// written. Re-running the same file records only the rows not yet recorded.
    ImportLedger(ImportLedgerArgs),
    /// Load demo data into an empty database: the hand-written demo of `serve --demo`, or with
    /// --scale a generated province (scale 1: 5,000 enterprises, 20,000 projects, about 1,000,000
    /// events over 2025-2030; docs/reports.md). The demo accounts' password is redmud-demo.
    Demo(DemoArgs),
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// Generate a province of this size instead (1.0: the province; 0.1: a tenth of it).
    #[arg(long)]
    scale: Option<f64>,
}

#[derive(Debug, Args)]
struct ImportLedgerArgs {
    /// The CSV file.
    file: PathBuf,
    /// The account the rows are recorded as (its role and region are checked per row).
    #[arg(long = "as", value_name = "USERNAME")]
    username: String,
    /// The reason stamped on every event [default: the file's name and SHA-256].
    #[arg(long)]
    reason: Option<String>,
    /// Validate only; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Rows in flight at once (rows of different enterprises share transactions).
    #[arg(long, default_value_t = redmud_api::import::DEFAULT_CONCURRENCY)]
    concurrency: usize,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Listen address [default: 127.0.0.1:8080].
    #[arg(long, env = "REDMUD_ADDR")]
    addr: Option<SocketAddr>,
    /// Load the demo data set and demo accounts (password `redmud-demo`) into an empty database.
    #[arg(long)]
    demo: bool,
    /// Bearer token lifetime in minutes [default: 720].
    #[arg(long, env = "REDMUD_TOKEN_MINUTES")]
    token_minutes: Option<u64>,
    /// HTTP worker threads [default: one per core].
    #[arg(long, env = "REDMUD_WORKERS")]
    workers: Option<usize>,
    /// Directory of the built web client, served with an SPA fallback.
    #[arg(long, env = "REDMUD_STATIC_DIR")]
    static_dir: Option<PathBuf>,
    /// The installation's audit key file (created if missing) [default: next to the SQLite file].
    #[arg(long, env = "REDMUD_AUDIT_KEY")]
    audit_key: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct VerifyArgs {
    /// First position to verify [default: 1]; the chain starts from the stored hash before it.
    #[arg(long)]
    from: Option<u64>,
    /// Last position to verify [default: the end of the log, compared with the head record].
    #[arg(long)]
    to: Option<u64>,
    /// No progress lines.
    #[arg(long)]
    quiet: bool,
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// First position [default: 1].
    #[arg(long)]
    from: Option<u64>,
    /// Last position [default: the head].
    #[arg(long)]
    to: Option<u64>,
    /// Output file [default: stdout].
    #[arg(long)]
    out: Option<PathBuf>,
    /// The installation's audit key file [default: next to the SQLite file].
    #[arg(long, env = "REDMUD_AUDIT_KEY")]
    audit_key: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct VerifyBundleArgs {
    /// The bundle (`-`: stdin).
    file: PathBuf,
    /// The public key (64 hex digits) the bundle must be signed with [default: the bundle's own].
    #[arg(long)]
    public_key: Option<String>,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account. The password is read from REDMUD_PASSWORD or the first line of stdin.
    Add {
        username: String,
        /// province, bureau, finance, auditor or admin.
        #[arg(long)]
        role: String,
        /// A bureau's region (GB/T 2260 code, e.g. 520100).
        #[arg(long)]
        region: Option<String>,
        /// Display name [default: the username].
        #[arg(long)]
        display_name: Option<String>,
        /// Organisation [default: by role].
        #[arg(long)]
        organisation: Option<String>,
    },
    /// List accounts.
    List,
    /// Disable an account (its sessions end).
    Disable {
        username: String,
        #[arg(long)]
        reason: String,
    },
    /// Set an account's password (REDMUD_PASSWORD or the first line of stdin).
    SetPassword { username: String },
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
    let file = match &cli.config {
        Some(path) => FileConfig::read(path)?,
        None => FileConfig::default(),
    };
    let serve = match &cli.command {
        Command::Serve(args) => Some(args),
        _ => None,
    };
    let config = Config::resolve(
        Overrides {
            database_url: cli.database_url.clone(),
            addr: serve.and_then(|s| s.addr),
            demo: serve.is_some_and(|s| s.demo),
            token_lifetime_minutes: serve.and_then(|s| s.token_minutes),
            workers: serve.and_then(|s| s.workers),
            static_dir: serve.and_then(|s| s.static_dir.clone()),
            audit_key_path: match &cli.command {
                Command::Serve(args) => args.audit_key.clone(),
                Command::Export(args) => args.audit_key.clone(),
                _ => None,
            },
        },
        file,
    );
    let url = redact(&config.database_url);
    match cli.command {
        Command::Serve(_) => {
            let server = redmud_api::start(config).await?;
            println!("Red Mud Ledger serving on {}", server.url());
            let handle = server.handle();
            tokio::spawn(async move {
                shutdown_signal().await;
                tracing::info!("shutting down: finishing requests in flight");
                handle.stop(true).await;
            });
            server.wait().await?;
        }
        Command::Migrate => {
            let store = EventStore::open(&config.database_url)
                .await
                .with_context(|| format!("cannot migrate {url}"))?;
            let head = store.head().await?;
            println!(
                "{url}: migrated ({} engine, {} events)",
                store.engine_name(),
                head.position
            );
            store.close().await;
        }
        Command::Verify(args) => {
            let store = EventStore::connect(&config.database_url)
                .await
                .with_context(|| format!("cannot open {url}"))?;
            let intact = verify(&store, &args).await;
            store.close().await;
            if !intact? {
                std::process::exit(1);
            }
        }
        Command::Export(args) => {
            let store = open(&config).await?;
            let result = export(&store, &config, &args).await;
            store.close().await;
            result?;
        }
        Command::VerifyBundle(args) => {
            let text = if args.file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&args.file)
                    .with_context(|| format!("cannot read {}", args.file.display()))?
            };
            let report = redmud_api::audit::verify_bundle(&text, args.public_key.as_deref());
            println!("{}", serde_json::to_string_pretty(&report)?);
            if !report.intact {
                std::process::exit(1);
            }
        }
        Command::Rebuild => {
            let store = open(&config).await?;
            let (events, rows) = redmud_api::rebuild::rebuild(&store).await?;
            println!("{url}: rebuilt {rows} read-model rows from {events} events");
            store.close().await;
        }
        Command::Backup { file } => {
            let store = open(&config).await?;
            let result = redmud_api::backup::backup(&store, &config.database_url, &file).await;
            store.close().await;
            let report = result.with_context(|| format!("cannot back up {url}"))?;
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        Command::Restore { file, force } => {
            let report = redmud_api::backup::restore(&file, &config.database_url, force)
                .await
                .with_context(|| format!("cannot restore {} into {url}", file.display()))?;
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        Command::User(command) => {
            let store = open(&config).await?;
            let app = AppState::new(store.clone(), config);
            let result = user(&app, command).await;
            store.close().await;
            result?;
        }
        Command::Demo(args) => {
            let store = open(&config).await?;
            let app = AppState::new(store.clone(), config);
            let result = demo(&app, &args).await;
            store.close().await;
            result?;
        }
        Command::ImportLedger(args) => {
            let store = open(&config).await?;
            let app = AppState::new(store.clone(), config);
            let result = import_ledger(&app, &args).await;
            store.close().await;
            if !result? {
                std::process::exit(1);
            }
        }
    }
    Ok(())
}

/// `redmud demo`: loads the demo or a generated province, with progress on stderr.
async fn demo(app: &AppState, args: &DemoArgs) -> anyhow::Result<()> {
    let Some(scale) = args.scale else {
        anyhow::ensure!(
            app.store.head().await?.position == 0,
            "the database is not empty: the demo loads only into an empty one"
        );
        redmud_api::demo::load(app).await?;
        println!("demo loaded: {} events", app.store.head().await?.position);
        return Ok(());
    };
    anyhow::ensure!(
        scale.is_finite() && scale > 0.0 && scale <= 10.0,
        "--scale must be above 0 and at most 10"
    );
    let started = std::time::Instant::now();
    let report = redmud_api::demo::scale::load(app, scale, |month, head| {
        eprintln!(
            "{}  {head:>9} events  {:>7.0} events/s",
            month.format("%Y-%m"),
            head as f64 / started.elapsed().as_secs_f64().max(1e-9)
        );
    })
    .await?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// `redmud import-ledger`: prints each refused row and the counts; `Ok(false)` when any row was
/// refused.
async fn import_ledger(app: &AppState, args: &ImportLedgerArgs) -> anyhow::Result<bool> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = redmud_api::import::ImportOptions {
        username: args.username.clone(),
        reason: args.reason.clone(),
        dry_run: args.dry_run,
        concurrency: args.concurrency,
    };
    let started = std::time::Instant::now();
    let last = std::sync::Mutex::new(std::time::Instant::now());
    let progress = |p: redmud_api::import::Progress| {
        let Ok(mut last) = last.lock() else { return };
        if p.done == p.total || last.elapsed() >= std::time::Duration::from_millis(200) {
            *last = std::time::Instant::now();
            let rate = p.done as f64 / started.elapsed().as_secs_f64().max(1e-9);
            eprintln!(
                "import-ledger: {} of {} rows written ({rate:.0} rows/s)",
                p.done, p.total
            );
        }
    };
    let report = redmud_api::import::import_ledger(app, &name, &bytes, &options, &progress)
        .await
        .with_context(|| format!("cannot import {}", args.file.display()))?;
    for error in &report.rejected {
        println!("{error}");
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("file: {} (sha256 {})", args.file.display(), report.sha256);
    println!("rows: {}", report.rows);
    if report.dry_run {
        println!("would import: {}", report.imported);
    } else {
        println!("imported: {}", report.imported);
    }
    println!("already present: {}", report.already_present);
    println!("rejected: {}", report.rejected.len());
    if !report.rejected.is_empty() && !report.written {
        println!("nothing was written: correct the rows above and run the import again");
    } else if report.dry_run {
        println!("dry run: nothing was written");
    } else {
        println!(
            "time: {seconds:.2} s ({:.0} rows/s)",
            report.imported as f64 / seconds.max(1e-9)
        );
    }
    Ok(report.rejected.is_empty())
}

/// `redmud verify`: prints the report; `Ok(false)` when the chain is broken.
async fn verify(store: &EventStore, args: &VerifyArgs) -> anyhow::Result<bool> {
    let from = args.from.unwrap_or(1).max(1);
    if args.to.is_some_and(|to| to < from) {
        bail!("--to must not be below --from");
    }
    let start = store
        .verify_start(from)
        .await?
        .with_context(|| format!("no event at position {}", from - 1))?;
    let head = store.head().await?.position;
    let total = args.to.unwrap_or(head).min(head).saturating_sub(from - 1);
    let started = std::time::Instant::now();
    let mut last_report = std::time::Instant::now();
    let quiet = args.quiet;
    let report = store
        .verify_range(start, args.to, |checked| {
            if !quiet && last_report.elapsed() >= std::time::Duration::from_millis(500) {
                last_report = std::time::Instant::now();
                let rate = checked as f64 / started.elapsed().as_secs_f64().max(1e-9);
                eprintln!("verify: {checked} of ~{total} events ({rate:.0} events/s)");
            }
        })
        .await?;
    if !quiet {
        let seconds = started.elapsed().as_secs_f64();
        eprintln!(
            "verify: {} events in {seconds:.2} s ({:.0} events/s): {}",
            report.checked,
            report.checked as f64 / seconds.max(1e-9),
            if report.is_intact() {
                "intact"
            } else {
                "BROKEN"
            }
        );
    }
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(report.is_intact())
}

/// `redmud export`: signs the covering checkpoints with the installation key and writes the bundle.
async fn export(store: &EventStore, config: &Config, args: &ExportArgs) -> anyhow::Result<()> {
    let key_file = config.audit_key_file();
    let key = redmud_api::audit::AuditKey::load_or_create(&key_file)
        .with_context(|| format!("cannot load the audit key {}", key_file.display()))?;
    let head = store.head().await?.position;
    let from = args.from.unwrap_or(1).max(1);
    let to = args.to.unwrap_or(head);
    if head == 0 || to < from || to > head {
        bail!("the range {from}..={to} is not within the log 1..={head}");
    }
    let bundle = redmud_api::audit::export_bundle(store, &key, from, to)
        .await
        .context("cannot export")?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, bundle)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("export: events {from}..={to} written to {}", path.display());
        }
        None => {
            use std::io::Write;
            std::io::stdout().lock().write_all(bundle.as_bytes())?;
        }
    }
    Ok(())
}

async fn open(config: &Config) -> anyhow::Result<EventStore> {
    let url = redact(&config.database_url);
    EventStore::open(&config.database_url)
        .await
        .with_context(|| format!("cannot open {url}"))
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("REDMUD_PASSWORD") {
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("no password: set REDMUD_PASSWORD or pass it on stdin");
    }
    Ok(password)
}

async fn user(app: &AppState, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            username,
            role,
            region,
            display_name,
            organisation,
        } => {
            let password = read_password()?;
            let account = accounts::add(
                app,
                accounts::NewAccount {
                    display_name: display_name.unwrap_or_else(|| username.clone()),
                    username,
                    organisation,
                    role,
                    region,
                    password,
                },
            )
            .await?;
            println!("created account {} ({})", account.0, account.1);
        }
        UserCommand::List => {
            for line in accounts::list(app).await? {
                println!("{line}");
            }
        }
        UserCommand::Disable { username, reason } => {
            accounts::disable(app, &username, reason).await?;
            println!("disabled {username}");
        }
        UserCommand::SetPassword { username } => {
            let password = read_password()?;
            accounts::set_password(app, &username, password).await?;
            println!("password of {username} changed; its sessions ended");
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
