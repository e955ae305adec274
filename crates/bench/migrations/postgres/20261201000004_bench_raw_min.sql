-- The least any log meeting issue 2 must write for an event: the envelope's columns, a unique
-- event id (idempotent retries) and a unique stream version (expected-version appends), in log
-- order. No category or type index and no head row, which the store has and issue 2 does not
-- spell out. Written by the `raw-seq-min` and `raw-bulk-min` lines the way `raw-seq-log` and
-- `raw-bulk-log` write `bench_raw_log`: if even this table stays under a target's ratio, no
-- store keeping the envelope can meet that target.
CREATE TABLE bench_raw_min (
    LIKE bench_raw_log INCLUDING DEFAULTS,
    PRIMARY KEY (position),
    UNIQUE (event_id),
    UNIQUE (stream, version)
);
