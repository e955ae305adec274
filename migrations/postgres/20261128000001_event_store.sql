-- The event log: append-only, one row per event, hash-chained (see docs/event-format.md).
CREATE TABLE events (
    position        BIGINT      PRIMARY KEY,        -- global, 1-based, gap-free, commit order
    stream          TEXT        NOT NULL,           -- <category>-<id>
    category        TEXT        NOT NULL,
    version         BIGINT      NOT NULL CHECK (version >= 1),
    event_id        UUID        NOT NULL UNIQUE,
    event_type      TEXT        NOT NULL,
    schema_version  INTEGER     NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,           -- microsecond precision, UTC
    effective       TEXT,                           -- YYYY | YYYY-Qn | YYYY-MM | YYYY-MM-DD
    payload         TEXT        NOT NULL,           -- canonical JSON, byte-exact
    actor_id        TEXT        NOT NULL,
    actor_role      TEXT        NOT NULL,
    organisation    TEXT        NOT NULL,
    reason          TEXT,
    correlation_id  UUID,
    causation_id    UUID,
    idempotency_key TEXT,
    hash            BYTEA       NOT NULL,           -- SHA-256(previous hash || encoding)
    UNIQUE (stream, version)
);
CREATE INDEX events_by_category ON events (category, position);
CREATE INDEX events_by_type ON events (event_type, position);
CREATE INDEX events_by_recorded_at ON events (recorded_at, position);

-- The chain head: the last position, its hash and time. Every writer locks this row first, so
-- positions are assigned and committed in one order, across processes.
CREATE TABLE head (
    id          INTEGER     PRIMARY KEY CHECK (id = 1),
    position    BIGINT      NOT NULL,
    hash        BYTEA       NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
INSERT INTO head (id, position, hash, recorded_at)
VALUES (1, 0, decode(repeat('00', 32), 'hex'), 'epoch');

-- Nothing in the log is ever updated or deleted.
CREATE FUNCTION events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are immutable (% refused)', TG_OP;
END;
$$;
CREATE TRIGGER events_are_immutable BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_immutable();
CREATE TRIGGER events_are_never_truncated BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_are_immutable();

-- Wake subscribers in every process when the head moves.
CREATE FUNCTION notify_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('redmud_head', NEW.position::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER head_moved AFTER UPDATE ON head
    FOR EACH ROW EXECUTE FUNCTION notify_head();

-- Snapshots: a cache of aggregate state, one per stream and code/schema tag.
CREATE TABLE snapshots (
    stream     TEXT        NOT NULL,
    schema_tag TEXT        NOT NULL,
    version    BIGINT      NOT NULL,
    state      TEXT        NOT NULL,
    taken_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (stream, schema_tag)
);
