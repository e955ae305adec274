-- Sign-in secrets and sessions of the server's accounts. The accounts themselves (who, which
-- role, which region, enabled or not) are events in `account-<uuid>` streams; only what must
-- never enter the immutable log lives here: password hashes and bearer-token hashes.

CREATE TABLE credentials (
    account_id    TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,           -- argon2id PHC string
    updated_at    INTEGER NOT NULL         -- microseconds since the epoch, UTC
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,          -- hex SHA-256 of the bearer token
    account_id  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- Idempotency-Key: the first response to a command, replayed to retries of the same request.
CREATE TABLE idempotency (
    actor_id     TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,            -- hex SHA-256 of method, path and body
    status       INTEGER NOT NULL,
    location     TEXT,
    etag         TEXT,
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (actor_id, key)
);
