-- The raw baseline: a plain table, no chain, no triggers, one index (the primary key).
CREATE TABLE bench_raw (
    id      INTEGER PRIMARY KEY,
    stream  TEXT    NOT NULL,
    version INTEGER NOT NULL,
    payload TEXT    NOT NULL
);
