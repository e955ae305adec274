//! Accounts, sign-in and bearer tokens.
//!
//! - An account is an `account-<uuid>` stream (the domain's [`Account`] aggregate); its id is the
//!   UUIDv5 of its username, so a username is taken exactly once. Role, region and enabled/disabled
//!   changes are events stamped with the admin who made them.
//! - Password hashes (argon2id) and sessions live in the server's own tables, never in the log.
//! - `POST /api/auth/login` returns an opaque bearer token (256 random bits); the server keeps only
//!   its SHA-256. Tokens expire after the configured lifetime and are revoked by logout, by a new
//!   password and by disabling the account.
//! - Each process caches a checked token for a few seconds ([`SESSION_RECHECK`]): a revocation
//!   made on one node takes effect on the others within that time, on the same node at once.
//! - Repeated failed sign-ins of a username are throttled ([`Throttle`]).

pub mod db;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::Utc;
use redmud_domain::Region;
use redmud_domain::Role;
use redmud_domain::account::Account;
use redmud_store::Metadata;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// How long a process trusts a token it checked before looking at its session row again.
pub const SESSION_RECHECK: Duration = Duration::from_secs(5);

/// Namespace of account ids: `account_id = UUIDv5(ACCOUNT_NAMESPACE, username)`.
pub const ACCOUNT_NAMESPACE: Uuid = Uuid::from_u128(0x6a1f_3c2e_9b7d_4e0a_8c55_2d1e_0f9a_7b31);

/// The account id of a username.
pub fn account_id(username: &str) -> Uuid {
    Uuid::new_v5(&ACCOUNT_NAMESPACE, username.as_bytes())
}

/// The authenticated caller of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub account_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// A bureau's region; `None` for province-wide roles.
    pub region: Option<Region>,
    pub organisation: String,
    #[serde(skip)]
    pub token_hash: String,
}

impl Actor {
    /// The event metadata of a command by this actor.
    pub fn metadata(&self) -> Metadata {
        Metadata::actor(
            self.username.clone(),
            role_name(self.role),
            self.organisation.clone(),
        )
    }

    /// Whether the actor's region scope covers `region` (always, for province-wide roles).
    pub fn covers(&self, region: Region) -> bool {
        match (self.role, self.region) {
            (Role::Bureau, Some(own)) => own == region || own.contains(region),
            (Role::Bureau, None) => false,
            _ => true,
        }
    }

    /// The actor with the server's own identity, for work the server does itself.
    pub fn system() -> Self {
        Self {
            account_id: Uuid::nil(),
            username: "system".to_owned(),
            display_name: "系统".to_owned(),
            role: Role::Admin,
            region: None,
            organisation: "Red Mud Ledger".to_owned(),
            token_hash: String::new(),
        }
    }
}

/// The role's wire name (`province`, `bureau`, …).
pub fn role_name(role: Role) -> &'static str {
    role.code()
}

/// The actor an account state describes, if the account exists and is enabled.
pub fn actor_of(account: &Account, token_hash: String) -> Option<Actor> {
    if !account.is_active() {
        return None;
    }
    Some(Actor {
        account_id: account.id()?,
        username: account.username()?.to_string(),
        display_name: account.display_name().to_owned(),
        role: account.role()?,
        region: account.region(),
        organisation: account.organisation().to_owned(),
        token_hash,
    })
}

// ----- passwords ------------------------------------------------------------------------------

/// Minimum password length accepted when setting one.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Checks a new password's strength.
pub fn check_new_password(password: &str) -> ApiResult<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::invalid(
            "weak_password",
            format!("a password needs at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if password.len() > 1024 {
        return Err(ApiError::invalid(
            "weak_password",
            "a password may have at most 1024 bytes",
        ));
    }
    Ok(())
}

/// Hashes a password with argon2id (on a blocking thread: it takes tens of milliseconds).
pub async fn hash_password(password: String) -> ApiResult<String> {
    web::block(move || {
        let mut salt_bytes = [0u8; 16];
        salt_bytes.copy_from_slice(&Uuid::new_v4().as_bytes()[..]);
        let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| anyhow::anyhow!("{e}"))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)
}

/// Verifies a password against a stored hash (on a blocking thread).
pub async fn verify_password(password: String, hash: String) -> ApiResult<bool> {
    web::block(move || match PasswordHash::new(&hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    })
    .await
    .map_err(ApiError::internal)
}

// ----- tokens ---------------------------------------------------------------------------------

/// A new bearer token: `rm_` and 256 random bits in hex.
pub fn new_token() -> String {
    format!("rm_{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

/// What the server stores of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn now_micros() -> i64 {
    Utc::now().timestamp_micros()
}

// ----- per-process caches ---------------------------------------------------------------------

/// Tokens this process checked recently.
#[derive(Debug, Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<String, (Actor, i64, Instant)>>,
}

impl SessionCache {
    fn get(&self, token_hash: &str) -> Option<Actor> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let (actor, expires_at, checked) = entries.get(token_hash)?;
        (checked.elapsed() < SESSION_RECHECK && *expires_at > now_micros()).then(|| actor.clone())
    }

    fn put(&self, actor: Actor, expires_at: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() > 10_000 {
            entries.retain(|_, (_, _, checked)| checked.elapsed() < SESSION_RECHECK);
        }
        entries.insert(
            actor.token_hash.clone(),
            (actor, expires_at, Instant::now()),
        );
    }

    /// Forgets one token.
    pub fn forget(&self, token_hash: &str) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(token_hash);
    }

    /// Forgets every token of an account.
    pub fn forget_account(&self, account_id: Uuid) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, (actor, _, _)| actor.account_id != account_id);
    }
}

/// Failed sign-ins of one username: how many, since when, locked until when.
type Failures = (u32, Instant, Option<Instant>);

/// Failed sign-ins per username: after [`Throttle::MAX_FAILURES`] failures within
/// [`Throttle::WINDOW`], sign-ins of that username are refused for [`Throttle::LOCKOUT`].
#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Failures>>,
}

impl Throttle {
    pub const MAX_FAILURES: u32 = 5;
    pub const WINDOW: Duration = Duration::from_secs(15 * 60);
    pub const LOCKOUT: Duration = Duration::from_secs(60);

    /// Refuses while the username is locked out.
    pub fn check(&self, username: &str) -> ApiResult<()> {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, _, Some(until))) = failures.get(username) {
            let now = Instant::now();
            if *until > now {
                return Err(ApiError::TooManyRequests {
                    retry_after_secs: (*until - now).as_secs().max(1),
                });
            }
        }
        Ok(())
    }

    pub fn failed(&self, username: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() > 100_000 {
            failures.retain(|_, (_, first, _)| first.elapsed() < Self::WINDOW);
        }
        let now = Instant::now();
        let entry = failures
            .entry(username.to_owned())
            .or_insert((0, now, None));
        if entry.1.elapsed() > Self::WINDOW || entry.2.is_some_and(|until| until <= now) {
            *entry = (0, now, None);
        }
        entry.0 += 1;
        if entry.0 >= Self::MAX_FAILURES {
            entry.2 = Some(now + Self::LOCKOUT);
        }
    }

    pub fn succeeded(&self, username: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(username);
    }
}

// ----- sign-in and the extractor --------------------------------------------------------------

/// A session just opened.
#[derive(Debug, Serialize)]
pub struct Login {
    pub token: String,
    pub token_type: &'static str,
    pub expires_at: chrono::DateTime<Utc>,
    pub account: Actor,
}

/// Checks a username and password and opens a session.
pub async fn login(app: &AppState, username: &str, password: &str) -> ApiResult<Login> {
    let refused = || ApiError::unauthorized("bad_credentials", "wrong username or password");
    app.throttle.check(username)?;
    let Some(credential) = db::credential(&app.store, username).await? else {
        // Same work as a real check, so timing does not reveal which usernames exist.
        let _ = verify_password(password.to_owned(), DUMMY_HASH.to_owned()).await;
        app.throttle.failed(username);
        return Err(refused());
    };
    if !verify_password(password.to_owned(), credential.password_hash).await? {
        app.throttle.failed(username);
        tracing::info!(username, "failed sign-in");
        return Err(refused());
    }
    let (_, account) = crate::aggregates::load::<Account>(app, credential.account_id, None).await?;
    let token = new_token();
    let hash = token_hash(&token);
    let Some(actor) = actor_of(&account, hash.clone()) else {
        app.throttle.failed(username);
        return Err(ApiError::unauthorized(
            "account_disabled",
            "this account is disabled",
        ));
    };
    app.throttle.succeeded(username);
    let now = now_micros();
    let lifetime = i64::try_from(app.config.token_lifetime.as_micros()).unwrap_or(i64::MAX);
    let expires_at = now.saturating_add(lifetime);
    db::insert_session(&app.store, &hash, actor.account_id, now, expires_at).await?;
    tracing::info!(username, role = role_name(actor.role), "signed in");
    Ok(Login {
        token,
        token_type: "Bearer",
        expires_at: chrono::DateTime::from_timestamp_micros(expires_at).unwrap_or_default(),
        account: actor,
    })
}

/// An argon2id hash of a random password, checked when a username does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3P0bqo0YfH1vWL7LvA1P6C8V6tq9kz1K5eI2m3Qm7Xs";

/// Resolves a bearer token to its actor.
pub async fn authenticate(app: &AppState, token: &str) -> ApiResult<Actor> {
    let hash = token_hash(token);
    if let Some(actor) = app.sessions.get(&hash) {
        return Ok(actor);
    }
    let expired =
        || ApiError::unauthorized("invalid_token", "the token is unknown, expired or revoked");
    let session = db::session(&app.store, &hash).await?.ok_or_else(expired)?;
    if session.revoked || session.expires_at <= now_micros() {
        return Err(expired());
    }
    let (_, account) = crate::aggregates::load::<Account>(app, session.account_id, None).await?;
    let actor = actor_of(&account, hash).ok_or_else(expired)?;
    app.sessions.put(actor.clone(), session.expires_at);
    Ok(actor)
}

fn bearer(req: &HttpRequest) -> ApiResult<String> {
    let missing = || {
        ApiError::unauthorized(
            "missing_token",
            "sign in and send Authorization: Bearer <token>",
        )
    };
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(missing)?
        .to_str()
        .map_err(|_| missing())?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .ok_or_else(missing)?
        .trim();
    if token.is_empty() || token.len() > 256 {
        return Err(missing());
    }
    Ok(token.to_owned())
}

impl FromRequest for Actor {
    type Error = ApiError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = ApiResult<Actor>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let app = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer(req);
        Box::pin(async move {
            let app = app.ok_or_else(|| ApiError::internal(anyhow::anyhow!("no app state")))?;
            authenticate(&app, &token?).await
        })
    }
}

/// Signs out: revokes the caller's token.
pub async fn logout(app: &AppState, actor: &Actor) -> ApiResult<()> {
    app.sessions.forget(&actor.token_hash);
    db::revoke_session(&app.store, &actor.token_hash, now_micros()).await?;
    Ok(())
}

/// Sets an account's password: stores the hash, revokes its sessions.
pub async fn set_password(
    app: &AppState,
    account_id: Uuid,
    username: &str,
    password: String,
) -> ApiResult<()> {
    check_new_password(&password)?;
    let hash = hash_password(password).await?;
    let now = now_micros();
    db::set_credential(&app.store, account_id, username, &hash, now).await?;
    db::revoke_account_sessions(&app.store, account_id, now).await?;
    app.sessions.forget_account(account_id);
    Ok(())
}

/// Revokes every session of an account (it was disabled or its role changed).
pub async fn revoke_all(app: &AppState, account_id: Uuid) -> ApiResult<()> {
    db::revoke_account_sessions(&app.store, account_id, now_micros()).await?;
    app.sessions.forget_account(account_id);
    Ok(())
}
