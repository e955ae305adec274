-- The floor of the log's schema: a table with the columns and indexes of `events` and a head row,
-- written by one plain statement a transaction that inserts the row and moves the head (the
-- `raw-seq-log` line): what any store keeping this schema pays for a row before doing anything
-- of its own. No chain is computed (the hash is a constant), nothing is decided, nobody is
-- notified.
CREATE TABLE bench_raw_log (
    position        BIGINT      PRIMARY KEY,
    stream          TEXT        NOT NULL,
    category        TEXT        NOT NULL,
    version         BIGINT      NOT NULL,
    event_id        UUID        NOT NULL UNIQUE,
    event_type      TEXT        NOT NULL,
    schema_version  INTEGER     NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    effective       TEXT,
    payload         TEXT        NOT NULL,
    actor_id        TEXT        NOT NULL,
    actor_role      TEXT        NOT NULL,
    organisation    TEXT        NOT NULL,
    reason          TEXT,
    correlation_id  UUID,
    causation_id    UUID,
    idempotency_key TEXT,
    hash            BYTEA       NOT NULL,
    UNIQUE (stream, version)
);
CREATE INDEX bench_raw_log_by_category ON bench_raw_log (category, position);
CREATE INDEX bench_raw_log_by_type ON bench_raw_log (event_type, position);

CREATE TABLE bench_raw_log_head (
    id          INTEGER     PRIMARY KEY CHECK (id = 1),
    position    BIGINT      NOT NULL,
    hash        BYTEA       NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
INSERT INTO bench_raw_log_head (id, position, hash, recorded_at)
VALUES (1, 0, '\x0000000000000000000000000000000000000000000000000000000000000000', 'epoch');
