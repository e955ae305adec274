-- The event log: append-only, one row per event, hash-chained (see docs/event-format.md).
CREATE TABLE events (
    position        INTEGER PRIMARY KEY,            -- global, 1-based, gap-free, commit order
    stream          TEXT    NOT NULL,               -- <category>-<id>
    category        TEXT    NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    event_id        BLOB    NOT NULL UNIQUE,        -- UUID, 16 bytes
    event_type      TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    recorded_at     INTEGER NOT NULL,               -- microseconds since 1970-01-01T00:00:00Z
    effective       TEXT,                           -- YYYY | YYYY-Qn | YYYY-MM | YYYY-MM-DD
    payload         TEXT    NOT NULL,               -- canonical JSON
    actor_id        TEXT    NOT NULL,
    actor_role      TEXT    NOT NULL,
    organisation    TEXT    NOT NULL,
    reason          TEXT,
    correlation_id  BLOB,
    causation_id    BLOB,
    idempotency_key TEXT,
    hash            BLOB    NOT NULL,               -- SHA-256(previous hash || encoding)
    UNIQUE (stream, version)
);
CREATE INDEX events_by_category ON events (category, position);
CREATE INDEX events_by_type ON events (event_type, position);
CREATE INDEX events_by_recorded_at ON events (recorded_at, position);

-- The chain head: the last position, its hash and time. Writers serialise on it.
CREATE TABLE head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    position    INTEGER NOT NULL,
    hash        BLOB    NOT NULL,
    recorded_at INTEGER NOT NULL
);
INSERT INTO head (id, position, hash, recorded_at) VALUES (1, 0, zeroblob(32), 0);

-- Nothing in the log is ever updated or deleted.
CREATE TRIGGER events_are_immutable BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are never deleted'); END;

-- Snapshots: a cache of aggregate state, one per stream and code/schema tag.
CREATE TABLE snapshots (
    stream     TEXT    NOT NULL,
    schema_tag TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    state      TEXT    NOT NULL,
    taken_at   INTEGER NOT NULL,
    PRIMARY KEY (stream, schema_tag)
);
