//! Server configuration: flags, then environment variables, then an optional TOML file
//! (`--config FILE` / `REDMUD_CONFIG`), then defaults — the first that gives a value wins.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use redmud_domain::RateFormula;
use serde::Deserialize;

/// The default database: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite:redmud.db";
/// The default listening address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// Everything `redmud serve` needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite:PATH` or `postgres://…`.
    pub database_url: String,
    /// Where to listen (port 0: any free port).
    pub addr: SocketAddr,
    /// Load the demo data set and accounts into an empty database.
    pub demo: bool,
    /// How long a bearer token lives.
    pub token_lifetime: Duration,
    /// Largest accepted request body.
    pub max_body_bytes: usize,
    /// Worker threads of the HTTP server (0: one per core).
    pub workers: usize,
    /// Connections in the database pool.
    pub max_connections: u32,
    /// The built web client (index.html and assets), served with an SPA fallback; `None`: not served.
    pub static_dir: Option<PathBuf>,
    /// The installation's Ed25519 key file (created on first start); `None`: next to the SQLite
    /// file, or `redmud-audit.key` in the working directory ([`crate::audit::key::default_key_path`]).
    pub audit_key_path: Option<PathBuf>,
    /// Sign a checkpoint whenever this many events were appended since the last one (0: only on
    /// demand).
    pub checkpoint_every: u64,
    /// The utilization rate formula in force in reports (`rate`): `new` (utilized from new ÷
    /// generated, the default) or `statistical` (see `redmud_domain::rules`).
    pub rate_formula: RateFormula,
    /// Audit flag rule (b): an event whose effective date lies more than this many days before
    /// its recorded date is flagged (`[audit] backdate_days`; default
    /// [`crate::audit::flags::DEFAULT_BACKDATE_DAYS`]).
    pub audit_backdate_days: u32,
}

impl Config {
    /// Where the audit key file is.
    pub fn audit_key_file(&self) -> PathBuf {
        self.audit_key_path
            .clone()
            .unwrap_or_else(|| crate::audit::key::default_key_path(&self.database_url))
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: DEFAULT_DATABASE_URL.to_owned(),
            addr: DEFAULT_ADDR
                .parse()
                .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 8080))),
            demo: false,
            token_lifetime: Duration::from_secs(12 * 3600),
            max_body_bytes: 1 << 20,
            workers: 0,
            max_connections: 16,
            static_dir: None,
            audit_key_path: None,
            checkpoint_every: 1_000,
            rate_formula: RateFormula::default(),
            audit_backdate_days: crate::audit::flags::DEFAULT_BACKDATE_DAYS,
        }
    }
}

/// The optional configuration file (TOML). Every key is optional; unknown keys are an error.
#[derive(Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub addr: Option<SocketAddr>,
    pub demo: Option<bool>,
    /// Token lifetime in minutes.
    pub token_lifetime_minutes: Option<u64>,
    pub max_body_bytes: Option<usize>,
    pub workers: Option<usize>,
    pub max_connections: Option<u32>,
    pub static_dir: Option<PathBuf>,
    pub audit_key_path: Option<PathBuf>,
    pub checkpoint_every: Option<u64>,
    /// `new` or `statistical`.
    pub rate_formula: Option<RateFormula>,
    /// The `[audit]` table.
    pub audit: Option<AuditFileConfig>,
}

/// The `[audit]` table of the configuration file.
#[derive(Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AuditFileConfig {
    /// Audit flag rule (b)'s threshold in days.
    pub backdate_days: Option<u32>,
}

/// Why a configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid configuration file {path}")]
    Parse {
        path: PathBuf,
        #[source]
        source: toml::de::Error,
    },
}

impl FileConfig {
    /// Reads a TOML configuration file.
    pub fn read(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| ConfigError::Parse {
            path: path.to_owned(),
            source,
        })
    }
}

/// Values given by flags or environment variables (clap fills both).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub database_url: Option<String>,
    pub addr: Option<SocketAddr>,
    pub demo: bool,
    pub token_lifetime_minutes: Option<u64>,
    pub workers: Option<usize>,
    pub static_dir: Option<PathBuf>,
    pub audit_key_path: Option<PathBuf>,
}

impl Config {
    /// Flags/env first, then the file, then defaults.
    pub fn resolve(overrides: Overrides, file: FileConfig) -> Self {
        let defaults = Config::default();
        Self {
            database_url: overrides
                .database_url
                .or(file.database_url)
                .unwrap_or(defaults.database_url),
            addr: overrides.addr.or(file.addr).unwrap_or(defaults.addr),
            demo: overrides.demo || file.demo.unwrap_or(false),
            token_lifetime: overrides
                .token_lifetime_minutes
                .or(file.token_lifetime_minutes)
                .map(|minutes| Duration::from_secs(minutes.saturating_mul(60)))
                .unwrap_or(defaults.token_lifetime),
            max_body_bytes: file.max_body_bytes.unwrap_or(defaults.max_body_bytes),
            workers: overrides
                .workers
                .or(file.workers)
                .unwrap_or(defaults.workers),
            max_connections: file.max_connections.unwrap_or(defaults.max_connections),
            static_dir: overrides
                .static_dir
                .or(file.static_dir)
                .or(defaults.static_dir),
            audit_key_path: overrides.audit_key_path.or(file.audit_key_path),
            checkpoint_every: file.checkpoint_every.unwrap_or(defaults.checkpoint_every),
            rate_formula: file.rate_formula.unwrap_or(defaults.rate_formula),
            audit_backdate_days: file
                .audit
                .and_then(|audit| audit.backdate_days)
                .unwrap_or(defaults.audit_backdate_days),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_the_file_and_the_file_beats_defaults() {
        let file: FileConfig = toml::from_str(
            "database_url = \"postgres://db/x\"\naddr = \"0.0.0.0:9000\"\ntoken_lifetime_minutes = 30\n",
        )
        .expect("valid file");
        let config = Config::resolve(
            Overrides {
                addr: Some("127.0.0.1:7000".parse().expect("addr")),
                ..Overrides::default()
            },
            file,
        );
        assert_eq!(config.database_url, "postgres://db/x");
        assert_eq!(config.addr.port(), 7000);
        assert_eq!(config.token_lifetime, Duration::from_secs(1800));
        assert_eq!(config.max_body_bytes, Config::default().max_body_bytes);
    }

    #[test]
    fn the_rate_formula_is_a_setting() {
        let file: FileConfig = toml::from_str("rate_formula = \"statistical\"\n").expect("valid");
        let config = Config::resolve(Overrides::default(), file);
        assert_eq!(config.rate_formula, RateFormula::Statistical);
        assert_eq!(Config::default().rate_formula, RateFormula::New);
    }

    #[test]
    fn the_backdating_threshold_is_a_setting() {
        let file: FileConfig = toml::from_str("[audit]\nbackdate_days = 30\n").expect("valid");
        assert_eq!(
            Config::resolve(Overrides::default(), file).audit_backdate_days,
            30
        );
        assert_eq!(Config::default().audit_backdate_days, 90);
        assert!(toml::from_str::<FileConfig>("[audit]\nbackdate = 30\n").is_err());
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        assert!(toml::from_str::<FileConfig>("databse_url = \"x\"").is_err());
    }
}
