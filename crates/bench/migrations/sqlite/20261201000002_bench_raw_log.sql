-- The floor of the log's schema: a table with the columns and indexes of `events` and a head row
-- that a trigger moves, written by one plain INSERT a transaction (the `raw-seq-log` line): what
-- any store keeping this schema pays for a row before doing anything of its own. No chain is
-- computed (the hash is a constant) and nothing is decided.
CREATE TABLE bench_raw_log (
    position        INTEGER PRIMARY KEY,
    stream          TEXT    NOT NULL,
    category        TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    event_id        BLOB    NOT NULL UNIQUE,
    event_type      TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    recorded_at     INTEGER NOT NULL,
    effective       TEXT,
    payload         TEXT    NOT NULL,
    actor_id        TEXT    NOT NULL,
    actor_role      TEXT    NOT NULL,
    organisation    TEXT    NOT NULL,
    reason          TEXT,
    correlation_id  BLOB,
    causation_id    BLOB,
    idempotency_key TEXT,
    hash            BLOB    NOT NULL,
    UNIQUE (stream, version)
);
CREATE INDEX bench_raw_log_by_category ON bench_raw_log (category, position);
CREATE INDEX bench_raw_log_by_type ON bench_raw_log (event_type, position);

CREATE TABLE bench_raw_log_head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    position    INTEGER NOT NULL,
    hash        BLOB    NOT NULL,
    recorded_at INTEGER NOT NULL
);
INSERT INTO bench_raw_log_head (id, position, hash, recorded_at) VALUES (1, 0, zeroblob(32), 0);

CREATE TRIGGER bench_raw_log_moves_head AFTER INSERT ON bench_raw_log
BEGIN
    UPDATE bench_raw_log_head
    SET position = NEW.position, hash = NEW.hash, recorded_at = NEW.recorded_at
    WHERE id = 1;
END;
