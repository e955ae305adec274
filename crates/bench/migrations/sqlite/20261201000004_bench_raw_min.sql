-- The least any log meeting issue 2 must write for an event: the envelope's columns, a unique
-- event id (idempotent retries) and a unique stream version (expected-version appends), in log
-- order. No category or type index and no head row, which the store has and issue 2 does not
-- spell out. Written by the `raw-seq-min` and `raw-bulk-min` lines the way `raw-seq-log` and
-- `raw-bulk-log` write `bench_raw_log`: if even this table stays under a target's ratio, no
-- store keeping the envelope can meet that target. (SQLite has no `CREATE TABLE … LIKE`: the
-- columns below are `bench_raw_log`'s, written out.)
CREATE TABLE bench_raw_min (
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
