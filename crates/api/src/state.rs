//! What every request handler shares.

use redmud_domain::account::Account;
use redmud_domain::{Base, Enterprise, Project, RegionalPlan};
use redmud_store::{EventStore, StateCache};

use crate::auth::{SessionCache, Throttle};
use crate::config::Config;
use crate::metrics::Metrics;

/// Aggregate states cached by stream version (a command need not reread its stream).
#[derive(Debug)]
pub struct Caches {
    pub enterprises: StateCache<Enterprise>,
    pub projects: StateCache<Project>,
    pub bases: StateCache<Base>,
    pub plans: StateCache<RegionalPlan>,
    pub accounts: StateCache<Account>,
}

impl Caches {
    fn new(capacity: usize) -> Self {
        Self {
            enterprises: StateCache::new(capacity),
            projects: StateCache::new(capacity),
            bases: StateCache::new(capacity),
            plans: StateCache::new(capacity),
            accounts: StateCache::new(capacity),
        }
    }

    /// Forgets every cached state (after a rebuild or restore).
    pub fn clear(&self) {
        self.enterprises.clear();
        self.projects.clear();
        self.bases.clear();
        self.plans.clear();
        self.accounts.clear();
    }
}

/// The server's shared state.
#[derive(Debug)]
pub struct AppState {
    pub store: EventStore,
    pub config: Config,
    pub caches: Caches,
    pub sessions: SessionCache,
    pub throttle: Throttle,
    pub metrics: Metrics,
    /// The tasks report's project lines, each rendered once per project state and day.
    pub task_lines: redmud_reports::LineCache,
    /// The installation's signing key, loaded when the server starts.
    pub audit_key: std::sync::OnceLock<crate::audit::AuditKey>,
}

impl AppState {
    pub fn new(store: EventStore, config: Config) -> Self {
        Self {
            store,
            config,
            caches: Caches::new(10_000),
            sessions: SessionCache::default(),
            throttle: Throttle::default(),
            metrics: Metrics::default(),
            task_lines: redmud_reports::LineCache::default(),
            audit_key: std::sync::OnceLock::new(),
        }
    }
}
